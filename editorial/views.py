from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from articles.models import Article
from editorial.language import desk_language
from editorial.permissions import (
    PREVIEW_MEDIA_COOKIE,
    PREVIEW_MEDIA_MAX_LINKS,
    PREVIEW_MEDIA_SALT,
    can_preview,
    preview_links_opened,
)
from editorial.services import PreviewLinkGone, preview_link_open

# A shared preview is for the person it was sent to: not for crawlers, and its address (which
# carries the token) must not travel on in a Referer header to the sites the story links to.
SHARED_PREVIEW_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}


@never_cache
def preview(request, pk):
    """An article as the public page renders it, for editors and its own authors only.

    Everyone else gets 404, so a preview link reveals nothing; responses are never cached."""
    article = (
        Article.objects.filter(pk=pk).select_related("section").prefetch_related("tags").first()
    )
    if article is None or not can_preview(request.user, article):
        raise Http404("No such article.")
    # The page is the public one, in English; only its banner speaks the desk's language.
    context = {"article": article, "preview": True, "desk_language": desk_language(request)}
    return render(request, "articles/article_detail.html", context)


@never_cache
def shared_preview(request, token):
    """An article as the public page will render it, for whoever holds a preview link an
    editor shared (editorial.services.preview_link_create); no account needed.

    A token the site did not sign answers 404; a link expired, revoked or whose article was
    deleted answers 410 with a page saying which. Never cached (private, no-store), by the
    page cache, nginx or the browser."""
    try:
        link = preview_link_open(token=token)
    except signing.BadSignature:
        raise Http404("No such preview.") from None
    except PreviewLinkGone as gone:
        response = render(
            request, "editorial/preview_gone.html", {"reason": gone.reason, "link": gone.link},
            status=410,
        )  # fmt: skip
    else:
        response = render(
            request,
            "editorial/shared_preview.html",
            {"article": link.article, "preview": True, "link": link},
        )
        _remember_for_media(request, response, link)
    for name, value in SHARED_PREVIEW_HEADERS.items():
        response[name] = value
    return response


def _remember_for_media(request, response, link) -> None:
    """Let this browser fetch the story's pictures (not public while it is unpublished):
    the link's id joins the signed list the media gate reads, sent to media addresses only
    and kept until the link expires."""
    ids = [link.pk, *(i for i in preview_links_opened(request) if i != link.pk)]
    response.set_cookie(
        PREVIEW_MEDIA_COOKIE,
        signing.dumps(ids[:PREVIEW_MEDIA_MAX_LINKS], salt=PREVIEW_MEDIA_SALT),
        max_age=max(int((link.expires_at - timezone.now()).total_seconds()), 1),
        path="/" + settings.MEDIA_URL.lstrip("/"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
