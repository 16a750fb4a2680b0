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
from core.pagination import BoundedPaginator
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
    articles: Callable[[], QuerySet[Article]],
    *,
    request,
    per_page: int = settings.NEWSROOM_PAGE_SIZE,
) -> ListPage:
    """The page of the list `name` (say "section:4") that `request` asks for, of the
    published articles `articles()` gives (newest first), `per_page` to a page: kept per
    site version. A page out of range answers 404 (and nothing is kept)."""
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
