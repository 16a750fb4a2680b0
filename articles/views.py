from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from articles import services
from articles.models import Article, Author, Correction, HomePick, Tag
from sections.models import Section

# How many stories each section block on the home page shows.
HOME_SECTION_STORIES = 4


# Featured stories under the lead on the home page (pinned by editors or the latest).
HOME_FEATURED_STORIES = HomePick.SLOTS - 1


def home_front(published) -> tuple[Article | None, list[Article]]:
    """The lead and featured stories: editors' live picks in their slots, empty slots filled
    with the latest published stories, no story twice. A pick that is not live is skipped."""
    picks = {
        pick.slot: pick.article
        for pick in HomePick.objects.filter(article__in=published).select_related("article")
    }
    live = {a.pk: a for a in published.filter(pk__in=[a.pk for a in picks.values()])}
    slots = [live.get(picks[slot].pk) if slot in picks else None for slot in range(HomePick.SLOTS)]
    empty = slots.count(None)
    latest = iter(published.exclude(pk__in=live)[:empty]) if empty else iter(())
    filled = [story or next(latest, None) for story in slots]
    return filled[0], [story for story in filled[1:] if story is not None]


class HomeView(TemplateView):
    """The lead and featured stories, then the latest stories of each section."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        lead, featured = home_front(published)
        on_page = [a for a in [lead, *featured] if a is not None]
        sections = list(Section.objects.all())
        by_section = {}
        stories = published.exclude(pk__in=[a.pk for a in on_page])
        for article in stories.latest_per_section(HOME_SECTION_STORIES, sections):
            by_section.setdefault(article.section_id, []).append(article)
        blocks = [(s, by_section[s.pk]) for s in sections if s.pk in by_section]
        for _section, section_stories in blocks:
            on_page.extend(section_stories)
        return super().get_context_data(
            lead=lead, featured=featured, section_blocks=blocks, on_page=on_page, **kwargs
        )


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


class CorrectionsView(ListView):
    """Every correction to a published article, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def get_queryset(self):
        return (
            Correction.objects.filter(article__in=Article.objects.published())
            .select_related("article")
            .order_by("-created", "-pk")
        )


@never_cache
def preview(request, pk):
    """An article as the public page renders it, for editors and its own authors only.

    Everyone else gets 404, so a preview link reveals nothing; responses are never cached."""
    article = (
        Article.objects.filter(pk=pk).select_related("section").prefetch_related("tags").first()
    )
    if article is None or not services.can_preview(request.user, article):
        raise Http404("No such article.")
    return render(request, "articles/article_detail.html", {"article": article, "preview": True})


@never_cache
def health(request):
    """Liveness check for load balancers; also the bare-view baseline in `make bench`."""
    return HttpResponse("ok", content_type="text/plain")
