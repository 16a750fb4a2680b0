from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import condition, require_safe

from articles.models import Article
from live.selectors import live_story
from pagecache.versions import for_article_fragment, site_version


def render_live_block(article) -> str:
    """The live block of `article`'s page as HTML ("" for a story with no live coverage),
    shared by the page and the updates view through the page's kept fragments."""

    def build():
        story = live_story(article=article)
        if story is None:
            return ""
        return render_to_string(
            "live/_live_block.html",
            {
                "story": story,
                "article": article,
                "updates_url": reverse("live:updates", kwargs={"slug": article.slug}),
                # The page's ETag (the site version) as it is built: the first poll of a
                # page nothing changed since answers 304.
                "etag": _etag(),
                "poll_seconds": settings.NEWSROOM_LIVE_POLL_SECONDS,
            },
        )

    return for_article_fragment(article, "live", build)


def render_live_marker(article) -> str:
    """The "Live" marker above a live story's headline, linking to its live block; nothing
    for a story that is not live now. Kept per site version, like the block."""

    def build():
        story = live_story(article=article)
        if story is None or story.state != "live":
            return ""
        return render_to_string("live/_live_marker.html", {"story": story})

    return for_article_fragment(article, "live-marker", build)


def _etag(request=None, **kwargs) -> str:
    return f'W/"{site_version().version}"'


@require_safe
@condition(etag_func=_etag)
def updates(request, slug):
    """The live block of a published live story alone, for its page's script to swap in.

    Its ETag is the site version, as every page's: with the page cache (or without it, for
    staff who bypass it) a poll when nothing changed is answered 304 before anything is
    rendered."""
    article = get_object_or_404(
        Article.objects.published().only("pk", "slug"),
        slug=slug,
    )
    html = render_live_block(article)
    if not html:
        return HttpResponse(
            "This story is not live coverage.", status=404, content_type="text/plain"
        )
    return HttpResponse(html)
