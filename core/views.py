from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from core.links import absolute_url

# Where preview links live; crawlers must never index an unpublished draft.
PREVIEW_PREFIX = "/preview/"


def robots_txt(request):
    """robots.txt: the sitemaps, and no crawling of admin, previews or search results."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {PREVIEW_PREFIX}",
        f"Disallow: {reverse('search:results')}",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        f"Sitemap: {absolute_url(reverse('news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def health(request):
    """Liveness check for load balancers; also the bare-view baseline in `make bench`."""
    return HttpResponse("ok", content_type="text/plain")
