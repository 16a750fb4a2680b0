"""Pages of article lists (a section, a tag, an author, a series), kept per site version.

A page of a list prints its cards and its pagination (includes/article_list.html); what
it prints changes only with what readers may see, so it is rendered once per site version
(pagecache.versions.for_site_version: every publication, takedown and approved comment
renews it, and it ends by itself at the next scheduled change) and shared by every page
view and process. A page rendered afresh then reads no article row, counts nothing and
renders no card.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from articles.models import Article
from core.pagination import COUNTED_UP_TO, BoundedPaginator
from core.prepared import STAND_IN_TIME, PreparedCount, PreparedListing
from pagecache.versions import for_site_version

LIST_TEMPLATE = "includes/article_list.html"


@dataclass(frozen=True)
class ListPage:
    """One page of a list as a reader gets it: its number and its cards with the
    pagination, rendered."""

    number: int
    html: SafeString


def asked_page(request) -> int | str:
    """The page `?page=` asks for: a number, or "last"; 404 for anything else (as Django's
    ListView answers)."""
    page = request.GET.get("page") or 1
    try:
        return int(page)
    except ValueError:
        if page == "last":
            return page
        raise Http404("Page is not “last”, nor can it be converted to an int.") from None


def list_page(
    name: str,
    articles: Callable[[], "QuerySet[Article] | PreparedRows"],
    *,
    request,
    per_page: int = settings.NEWSROOM_PAGE_SIZE,
) -> ListPage:
    """The page of the list `name` (say "section:4") that `request` asks for, of the
    published articles `articles()` gives (newest first), `per_page` to a page: kept per
    site version (or a PreparedList's rows at a time). A page out of range answers 404 (and
    nothing is kept)."""
    number = asked_page(request)

    def build() -> ListPage:
        paginator = BoundedPaginator(articles(), per_page)
        try:
            page = paginator.page(paginator.num_pages if number == "last" else number)
        except InvalidPage as error:
            raise Http404(f"Invalid page ({number}): {error}") from None
        context = {
            "articles": page.object_list,
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": page.has_other_pages(),
        }
        return ListPage(number=page.number, html=render_to_string(LIST_TEMPLATE, context))

    return for_site_version(f"list:{name}:{per_page}:{number}", build)


# The pages of a PreparedList read through statements built once per connection: the first
# ones, which readers read most; later pages through the queryset, so that a connection
# keeps a bounded number of statements however far crawlers page.
PREPARED_PAGES = 5


class PreparedList:
    """A list of published articles, newest first, whose pages' rows and bounded count
    (core.pagination) are read through statements built once per connection
    (core.prepared), the time their parameter, instead of a queryset built and compiled on
    every page built. `build(at)`: the list's queryset at the time `at`, as published(at=at)
    and for_listing(at=at) give it."""

    def __init__(self, build: Callable[..., QuerySet[Article]], *, per_page: int):
        self.build, self.per_page = build, per_page
        self.pages = {
            start: PreparedListing(
                Article, lambda at, start=start: self._page(at, start), at=STAND_IN_TIME
            )
            for start in range(0, PREPARED_PAGES * per_page, per_page)
        }
        self.counted = PreparedCount(
            Article,
            lambda at: build(at).order_by().values("pk")[: COUNTED_UP_TO + 1],
            at=STAND_IN_TIME,
        )

    def _page(self, at, start):
        return self.build(at)[start : start + self.per_page]

    def at(self, now) -> "PreparedRows":
        """The list's rows as published at `now`, for a paginator."""
        return PreparedRows(self, now)


class PreparedRows:
    """A PreparedList's rows at one time, as BoundedPaginator slices and counts them: a
    slice gives a window whose count() and rows go through the prepared statements where
    they have one, through the queryset elsewhere."""

    def __init__(self, prepared: PreparedList, now):
        self.prepared, self.now = prepared, now

    def __getitem__(self, index: slice) -> "_Window":
        return _Window(self, index.start or 0, index.stop)


class _Window:
    def __init__(self, rows: PreparedRows, start: int, stop: int):
        self.rows, self.start, self.stop = rows, start, stop
        self._found = None

    def count(self) -> int:
        prepared, now = self.rows.prepared, self.rows.now
        if self.start == 0 and self.stop == COUNTED_UP_TO + 1:
            return prepared.counted.count(at=now)
        return prepared.build(now).order_by().values("pk")[self.start : self.stop].count()

    def _rows(self) -> list[Article]:
        if self._found is None:
            prepared, now = self.rows.prepared, self.rows.now
            page = prepared.pages.get(self.start)
            if page is not None and self.stop <= self.start + prepared.per_page:
                # The page's rows: a shorter last page has no more rows to read.
                self._found = page.all(at=now)[: self.stop - self.start]
            else:
                self._found = list(prepared.build(now)[self.start : self.stop])
        return self._found

    def __iter__(self):
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self._rows())

    def __getitem__(self, index):
        return self._rows()[index]
