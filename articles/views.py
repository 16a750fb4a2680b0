from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from articles.models import Article, Author, Tag
from sections.models import Section

# How many stories each section block on the home page shows.
HOME_SECTION_STORIES = 4


class HomeView(TemplateView):
    """The lead story, then the latest stories of each section."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        lead = published.first()
        stories = published.exclude(pk=lead.pk) if lead else published
        sections = list(Section.objects.all())
        by_section = {}
        for article in stories.latest_per_section(HOME_SECTION_STORIES, sections):
            by_section.setdefault(article.section_id, []).append(article)
        blocks = [(s, by_section[s.pk]) for s in sections if s.pk in by_section]
        return super().get_context_data(lead=lead, section_blocks=blocks, **kwargs)


class ArticleDetailView(DetailView):
    """An article page. Drafts, scheduled and unpublished articles answer 404."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_listing().with_bylines().prefetch_related("tags")


class _PublishedListView(ListView):
    """A paginated list of published articles; page numbers out of range answer 404."""

    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE


class TagView(_PublishedListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().filter(tags__slug=self.tag.slug).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(_PublishedListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().filter(authors=self.author).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


@never_cache
def health(request):
    """Liveness check for load balancers; also the bare-view baseline in `make bench`."""
    return HttpResponse("ok", content_type="text/plain")
