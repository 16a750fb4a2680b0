"""The one door for counting a view (mostread.views calls it)."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from mostread.counters import counter, hour_of, reader_key


class TooManyViews(Exception):
    """One address sent more views than NEWSROOM_VIEWS_PER_MINUTE in a minute."""


def _within_rate(fingerprint: str, now: datetime.datetime) -> bool:
    key = f"mostread:rate:{fingerprint}:{now:%Y%m%d%H%M}"
    cache.add(key, 0, 90)
    try:
        sent = cache.incr(key)
    except ValueError:  # the key was evicted between add and incr: count this one
        sent = 1
    return sent <= settings.NEWSROOM_VIEWS_PER_MINUTE


def view_record(*, article_id: int, fingerprint: str, now: datetime.datetime | None = None):
    """Count a view of `article_id` by the reader whose address fingerprint is `fingerprint`
    (core.client.address_fingerprint): at most one per reader, article and hour. Raises
    TooManyViews past the per-address rate. The article is not read: a view of an article
    that is not published is kept but never listed (mostread.selectors reads published()
    articles only), so counting costs one write."""
    now = now or timezone.now()
    if not _within_rate(fingerprint, now):
        raise TooManyViews
    hour = hour_of(now)
    counter().record(
        article_id=article_id, reader=reader_key(fingerprint, article_id, hour), hour=hour
    )
