from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from articles import services
from articles.models import Article, Author, Correction, HomePick, Tag, TaggedArticle
from articles.search import highlight, query_terms, search_articles
from pagecache.versions import for_article
from sections.models import Section

# How many stories each section block on the home page shows.
HOME_SECTION_STORIES = 4


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


# Related stories are ranked among this many of the newest stories sharing a tag, so the
# cost stays bounded however many articles carry a common tag.
RELATED_CANDIDATES = 100


def related_articles(article: Article, *, limit: int) -> list[Article]:
    """Published stories sharing the most tags with `article` (newest first among equals),
    then the newest of its section; never `article` itself. One query, whatever the data."""
    others = Article.objects.published().exclude(pk=article.pk)
    tag_ids = [tag.pk for tag in article.tags.all()]
    same_section = others.filter(section=article.section_id).order_by("-published_at", "-pk")
    same_section = same_section.values("pk")[:limit]
    if not tag_ids:
        chosen = same_section
        shared = Value(0)
    else:
        sharing = others.filter(tags__in=tag_ids).order_by("-published_at")
        sharing = sharing.values("pk")[:RELATED_CANDIDATES]
        if connection.features.supports_slicing_ordering_in_compound:
            # One IN over a UNION ALL: PostgreSQL runs both small index scans. Two INs joined
            # by OR made it filter every published article (0.4 s at 100,000 articles).
            candidates = Q(pk__in=same_section.union(sharing, all=True))
        else:
            # SQLite cannot limit inside a compound query.
            candidates = Q(pk__in=same_section) | Q(pk__in=sharing)
        # Ranked on the narrow rows (id, date, tag count); only the chosen few are then
        # read in full, so no wide row is grouped or sorted.
        shared = Count("tags", filter=Q(tags__in=tag_ids))
        chosen = (
            Article.objects.filter(candidates)
            .values("pk")
            .annotate(shared_tags=shared)
            .order_by("-shared_tags", "-published_at", "-pk")
            .values("pk")[:limit]
        )
        shared = Subquery(
            TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
            .values("content_object")
            .annotate(n=Count("pk"))
            .values("n")
        )
    return list(
        Article.objects.filter(pk__in=chosen)
        .for_listing()
        .annotate(shared_tags=Coalesce(shared, 0))
        .order_by("-shared_tags", "-published_at", "-pk")
    )


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
        "comment_form_html": comment_form_html(article),
    }


def comment_form_html(article: Article, **context) -> str:
    """The comment form (or the notice that comments are closed): empty, or as `context`
    gives it after a failed post (`comment_form` with its errors, `comment_refused`)."""
    return render_to_string("comments/_comment_form.html", {"article": article, **context})


def article_surroundings(article: Article) -> dict[str, str]:
    """What on the article page changes with other content, rendered: the approved
    comments and the related stories."""
    related = related_articles(article, limit=settings.NEWSROOM_RELATED_COUNT)
    return {
        "comment_list": render_to_string(
            "comments/_comment_list.html", {"comments": list(article.comments.approved())}
        ),
        "related_stories": render_to_string(
            "includes/related_stories.html", {"related_articles": related}
        ),
    }


class ArticleDetailView(DetailView):
    """An article page. Drafts, scheduled and unpublished articles answer 404.

    The article's own parts are kept per version of the article (pagecache.versions.
    for_article), so publishing another story does not render them again; comments and
    related stories are kept per content version."""

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
        if "comment_form" in kwargs or "comment_refused" in kwargs:
            # A post that failed: the reader's own form, with its errors, or why it was refused.
            context["comment_form_html"] = comment_form_html(article, **kwargs)
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


class SearchView(TemplateView):
    """Search results. Any query and any page number answer a page: an unusable query
    finds nothing, a bad page number shows the nearest real page."""

    template_name = "articles/search.html"

    def get_context_data(self, **kwargs):
        raw = self.request.GET.get("q", "")[: settings.NEWSROOM_SEARCH_MAX_QUERY_LENGTH]
        # What the reader typed, minus control characters (NUL and friends), for the form.
        query = "".join(ch for ch in raw if ch.isprintable()).strip()
        terms = query_terms(query)
        results = search_articles(terms).for_listing()
        page = Paginator(results, settings.NEWSROOM_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        hits = [(a, highlight(a.title, terms), highlight(a.lead, terms)) for a in page]
        return super().get_context_data(
            query=query,
            terms=terms,
            hits=hits,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            page_query=urlencode({"q": query}) + "&",
            **kwargs,
        )


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
    context = {"article": article, "preview": True}
    context |= article_parts(article) | article_surroundings(article)
    return render(request, "articles/article_detail.html", context)
