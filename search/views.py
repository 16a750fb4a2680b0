from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from search.queries import highlight, query_terms, search_articles


class SearchView(TemplateView):
    """Search results. Any query and any page number answer a page: an unusable query
    finds nothing, a bad page number shows the nearest real page."""

    template_name = "search/search.html"

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
