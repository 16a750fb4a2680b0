import logging
import re

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.client import address_fingerprint, client_ip
from mostread.services import TooManyViews, view_record

logger = logging.getLogger(__name__)

# Crawlers, link previews, monitors and scripts: their requests are not readers' views.
BOT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|zalo(?!app)|headless|lighthouse|"
    r"python-|curl/|wget/|httpclient|okhttp|monitor|scan|http_request",
    re.IGNORECASE,
)


def _prefetch(request) -> bool:
    purpose = " ".join(
        request.headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
    )
    return "prefetch" in purpose.lower() or "preview" in purpose.lower()


def _answer(status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # a count, not an action on anyone's behalf; no cookie is read or set
@require_POST
def count_view(request, pk: int):
    """The beacon an article page sends once it is shown (static/js/count-view.js): 204
    whether counted or not (a bot, a prefetch, a repeat within the hour), 429 past the
    per-address rate, 503 if the counter cannot be reached (the page never waits on it)."""
    if pk <= 0 or pk > 2**62:
        return _answer(404)
    if _prefetch(request) or BOT.search(request.headers.get("User-Agent", "")):
        return _answer(204)
    try:
        view_record(article_id=pk, fingerprint=address_fingerprint(client_ip(request)))
    except TooManyViews:
        response = _answer(429)
        response["Retry-After"] = "60"
        return response
    except Exception:
        logger.warning("a view could not be counted", exc_info=True)
        return _answer(503)
    return _answer(204)
