from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from articles.lists import list_page
from articles.models import Article, Author, Correction, Series, Tag, TagAlias
from core.prepared import STAND_IN_TIME, PreparedQuery
from pagecache.versions import tokens_read_with_row, with_version_tokens


def _published_for_page(*, at=None):
    """The published articles as their page reads them: with the section, without the
    search documents, and the versions its kept parts are stamped with (no query of their
    own)."""
    return with_version_tokens(
        Article.objects.published(at=at)
        .select_related("section")
        .defer("search_title", "search_lead", "search_body", "search_vector")
    )


# The page's lookup, compiled once per connection: the slug and the time are its parameters.
PUBLISHED_BY_SLUG = PreparedQuery(
    Article,
    lambda slug, at: _published_for_page(at=at).filter(slug=slug),
    shape=tokens_read_with_row,
    slug="stand-in-for-the-slug",
    at=STAND_IN_TIME,
)


class ArticleDetailView(DetailView):
    """An article page. Drafts, scheduled and unpublished articles answer 404.

    The template renders the page's kept parts ({% article_page_parts %}) and the comments
    ({% comments_for %})."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return _published_for_page()

    def get_object(self, queryset=None):
        if queryset is not None:
            return super().get_object(queryset)
        try:
            return PUBLISHED_BY_SLUG.get(slug=self.kwargs["slug"], at=timezone.now())
        except Article.DoesNotExist:
            raise Http404("No article found matching the query") from None


class _PublishedListView(TemplateView):
    """A paginated list of published articles, a page of it kept per site version
    (articles.lists); page numbers out of range answer 404."""

    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def list_name(self) -> str:
        """The list's name among kept pages ("tag:4")."""
        raise NotImplementedError

    def get_articles(self):
        """The list's published articles, in order (called only to build a page)."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        page = list_page(
            self.list_name(), self.get_articles, request=self.request, per_page=self.paginate_by
        )
        # Each page of the list is its own canonical page; page 1 is the plain address.
        suffix = f"?page={page.number}" if page.number > 1 else ""
        return super().get_context_data(
            article_list=page, canonical_path=self.request.path + suffix, **kwargs
        )


class TagView(_PublishedListView):
    """A tag's published articles. A former address of a tag (renamed or merged into
    another) redirects to its page for good.

    A tag only on drafts, scheduled or unpublished stories answers 404 (and its former
    addresses too), so neither the tag nor its new name tells of unpublished work."""

    template_name = "articles/tag_detail.html"

    def get(self, request, *args, **kwargs):
        slug = self.kwargs["slug"]
        if not Tag.objects.filter(slug=slug).exists():
            alias = TagAlias.objects.filter(slug=slug, tag__in=Tag.objects.public()).first()
            if alias is not None:
                return redirect(alias.tag, permanent=True)
        self.tag = get_object_or_404(Tag.objects.public(), slug=slug)
        return super().get(request, *args, **kwargs)

    def list_name(self) -> str:
        return f"tag:{self.tag.pk}"

    def get_articles(self):
        return Article.objects.published().filter(tags__slug=self.tag.slug).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(_PublishedListView):
    template_name = "articles/author_detail.html"

    def get(self, request, *args, **kwargs):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def list_name(self) -> str:
        return f"author:{self.author.pk}"

    def get_articles(self):
        return Article.objects.published().filter(authors=self.author).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class SeriesView(_PublishedListView):
    """A series' published parts, in order. A series none of whose parts is published
    answers 404: readers learn of it only through its parts."""

    template_name = "articles/series_detail.html"

    def get(self, request, *args, **kwargs):
        self.series = get_object_or_404(Series, slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def list_name(self) -> str:
        return f"series:{self.series.pk}"

    def get_articles(self):
        # Asked when a page is built: a series whose last published part is taken down
        # starts a new site version, and its page is built again (and answers 404).
        parts = self.series.published_parts().for_listing().order_by("series_part", "pk")
        if not parts.exists():
            raise Http404("No such series.")
        return parts

    def get_context_data(self, **kwargs):
        return super().get_context_data(series=self.series, **kwargs)


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
