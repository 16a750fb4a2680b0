import datetime

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, ListView

from articles.models import Article, Author, Correction, Series, Tag, TagAlias
from core.pagination import BoundedPaginator
from core.prepared import PreparedQuery
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
    at=datetime.datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC),
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


class _PublishedListView(ListView):
    """A paginated list of published articles; page numbers out of range answer 404."""

    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    # A tag's or an author's archive grows for ever: count no further than the pages read.
    paginator_class = BoundedPaginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each page of the list is its own canonical page; page 1 is the plain address.
        page = context["page_obj"]
        suffix = f"?page={page.number}" if page and page.number > 1 else ""
        context["canonical_path"] = self.request.path + suffix
        return context


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
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.tag = get_object_or_404(Tag.objects.public(), slug=self.kwargs["slug"])
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


class SeriesView(_PublishedListView):
    """A series' published parts, in order. A series none of whose parts is published
    answers 404: readers learn of it only through its parts."""

    template_name = "articles/series_detail.html"

    def get_queryset(self):
        self.series = get_object_or_404(Series, slug=self.kwargs["slug"])
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
