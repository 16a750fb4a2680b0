from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from core.links import absolute_url
from core.text import slugify_vi

# Where preview links live; crawlers must never index an unpublished draft.
PREVIEW_PREFIX = "/preview/"


def robots_txt(request):
    """robots.txt: the sitemaps, and no crawling of previews or search results.

    Anyone may read robots.txt, so it does not name the admin's path (ADMIN_URL is kept
    unguessable); the admin tells crawlers itself (core.middleware.NoIndexMiddleware)."""
    lines = [
        "User-agent: *",
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


# The longest slug any form asks for, and the most text read to make one.
SLUG_MAX_LENGTH = 220
SLUG_SOURCE_MAX = 1000


@staff_member_required
@never_cache
def slug_for(request):
    """{"slug": ...}: the slug the server's rule makes of ?text=, at most ?max= characters,
    for the admin's forms to propose while a headline or name is typed."""
    text = request.GET.get("text", "")[:SLUG_SOURCE_MAX]
    try:
        max_length = min(max(int(request.GET.get("max", SLUG_MAX_LENGTH)), 1), SLUG_MAX_LENGTH)
    except ValueError:
        max_length = SLUG_MAX_LENGTH
    return JsonResponse({"slug": slugify_vi(text, max_length=max_length)})
