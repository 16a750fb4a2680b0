from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from search.queries import about, highlight, query_terms, search_articles


class SearchView(TemplateView):
    """Search results. Any query and any page number answer a page: an unusable query
    finds nothing, a bad page number shows the nearest real page."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        raw = self.request.GET.get("q", "")[: settings.NEWSROOM_SEARCH_MAX_QUERY_LENGTH]
        # What the reader typed, minus control characters (NUL and friends), for the form.
        query = "".join(ch for ch in raw if ch.isprintable()).strip()
        terms = query_terms(query)
        results = search_articles(terms)
        page = Paginator(results.pks, settings.NEWSROOM_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        # The page's stories with what their results print, in the ranked order.
        listed = results.articles(list(page))
        shown = [listed[pk] for pk in page if pk in listed]
        hits = [(a, highlight(a.title, terms), highlight(a.lead, terms)) for a in shown]
        return super().get_context_data(
            query=query,
            terms=terms,
            hits=hits,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            page_query=urlencode({"q": query}) + "&",
            found=about(results.count) if results.estimated else results.count,
            estimated=results.estimated,
            ranked=len(results),
            deepest=not results.complete,
            **kwargs,
        )
