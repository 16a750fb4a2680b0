from django.conf import settings
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.generic import DetailView, ListView

from articles.models import Article, Author, Correction, Tag
from articles.selectors import related_articles
from pagecache.versions import for_article


def article_parts(article: Article) -> dict[str, str]:
    """What on the article page belongs to the article alone, rendered: its head metadata,
    and its text with the picture, corrections, bylines and tags."""
    prefetch_related_objects([article], Article.bylines_prefetch(), "tags", "corrections")
    context = {
        "article": article,
        "site_name": settings.SITE_NAME,
        "dateline": settings.NEWSROOM_DATELINE,
    }
    return {
        "article_meta": render_to_string("includes/article_meta.html", context),
        "article_main": render_to_string("articles/_article_main.html", context),
    }


def article_surroundings(article: Article) -> dict[str, str]:
    """What on the article page changes with other content, rendered: the related stories."""
    related = related_articles(article=article, limit=settings.NEWSROOM_RELATED_COUNT)
    return {
        "related_stories": render_to_string(
            "includes/related_stories.html", {"related_articles": related}
        ),
    }


class ArticleDetailView(DetailView):
    """An article page. Drafts, scheduled and unpublished articles answer 404.

    The article's own parts are kept per version of the article (pagecache.versions.
    for_article), so publishing another story does not render them again; related stories
    are kept per site version, and the comments by their own template tag."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("section")
            .defer("search_title", "search_lead", "search_body", "search_vector")
        )

    def get_context_data(self, **kwargs):
        article = self.object
        context = for_article(
            article,
            own=lambda: article_parts(article),
            around=lambda: article_surroundings(article),
        )
        return super().get_context_data(**context, **kwargs)


class _PublishedListView(ListView):
    """A paginated list of published articles; page numbers out of range answer 404."""

    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each page of the list is its own canonical page; page 1 is the plain address.
        page = context["page_obj"]
        suffix = f"?page={page.number}" if page and page.number > 1 else ""
        context["canonical_path"] = self.request.path + suffix
        return context


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
