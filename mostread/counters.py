"""Where views are counted: Redis when REDIS_URL is set, else the database.

Both keep one view per reader per article per hour and answer the same question, the
articles most viewed since a time with their counts. Redis: a key per reader-article-hour
set only if absent (SET NX EX), and a sorted set per hour (ZINCRBY), kept 25 hours; the
window is their union. Database: one row per reader-article-hour (mostread.ArticleView),
inserted or ignored in one statement.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from core.cache_backend import outage_of
from mostread.models import ArticleView

WINDOW = datetime.timedelta(hours=24)
HOUR = datetime.timedelta(hours=1)


def hour_of(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)


def reader_key(fingerprint: str, article_id: int, hour: datetime.datetime) -> str:
    """A keyed hash of who (the address fingerprint), what and when: one per reader, article
    and hour, and nothing that links a reader's views of two articles or two hours."""
    message = f"{fingerprint}:{article_id}:{hour:%Y%m%d%H}".encode()
    key = hashlib.sha256(f"mostread:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


class DatabaseCounter:
    """Rows older than the window are deleted by the first view counted in each hour (in
    each process): a roll-up is one query, and counting one statement but once an hour."""

    def __init__(self):
        self.cleaned_hour = None

    def record(self, *, article_id: int, reader: str, hour: datetime.datetime) -> None:
        if self.cleaned_hour != hour:
            ArticleView.objects.filter(hour__lt=hour - WINDOW - HOUR).delete()
            self.cleaned_hour = hour
        # INSERT ... ON CONFLICT DO NOTHING (INSERT OR IGNORE on SQLite): a second view is
        # no row, in one statement, whatever the number of processes.
        ArticleView.objects.bulk_create(
            [ArticleView(article_id=article_id, reader=reader, hour=hour)],
            ignore_conflicts=True,
        )

    def counts(self, *, since: datetime.datetime) -> dict[int, int]:
        return dict(
            ArticleView.objects.filter(hour__gte=hour_of(since))
            .values("article")
            .annotate(views=Count("pk"))
            .values_list("article", "views")
        )


class CounterUnavailable(Exception):
    """The counter's store did not answer (Redis down or slow)."""


class RedisCounter:
    """Redis errors are CounterUnavailable. The counter shares the cache's outage state for
    this server (core.cache_backend.Outage): after an error neither tries again for
    REDIS_RETRY_SECONDS, so a Redis that is down costs one timeout, and is logged once."""

    KEEP_SECONDS = int((WINDOW + HOUR).total_seconds())

    def __init__(self, url: str, prefix: str):
        import redis

        self.errors = redis.RedisError
        self.refused = redis.ResponseError  # a command this server does not know
        self.outage = outage_of(url)
        self.prefix = prefix
        self.redis = redis.Redis.from_url(
            url,
            socket_timeout=settings.REDIS_TIMEOUT,
            socket_connect_timeout=settings.REDIS_TIMEOUT,
        )

    def _hour_key(self, hour: datetime.datetime) -> str:
        return f"{self.prefix}:mostread:{hour:%Y%m%d%H}"

    def _guarded(self, call):
        if self.outage.skipping():
            raise CounterUnavailable("Redis failed a moment ago")
        try:
            result = call()
        except self.errors as error:
            self.outage.failed(error)
            raise CounterUnavailable(str(error)) from error
        self.outage.succeeded()
        return result

    def record(self, *, article_id: int, reader: str, hour: datetime.datetime) -> None:
        self._guarded(lambda: self._record(article_id, reader, hour))

    def counts(self, *, since: datetime.datetime) -> dict[int, int]:
        return self._guarded(lambda: self._counts(since))

    def _record(self, article_id: int, reader: str, hour: datetime.datetime) -> None:
        seen = f"{self.prefix}:mostread:seen:{article_id}:{hour:%Y%m%d%H}:{reader}"
        if self.redis.set(seen, 1, nx=True, ex=3600 + 60):
            with self.redis.pipeline() as pipe:
                pipe.zincrby(self._hour_key(hour), 1, article_id)
                pipe.expire(self._hour_key(hour), self.KEEP_SECONDS)
                pipe.execute()

    def _counts(self, since: datetime.datetime) -> dict[int, int]:
        start, now = hour_of(since), hour_of(timezone.now())
        keys = []
        while start <= now:
            keys.append(self._hour_key(start))
            start += HOUR
        try:
            # Summed by Redis (ZUNION, Redis 6.2 and later): one command, one row an article.
            summed = self.redis.zunion(keys, withscores=True)
        except self.refused:
            return self._counts_hour_by_hour(keys)
        return {int(member): int(score) for member, score in summed}

    def _counts_hour_by_hour(self, keys: list[str]) -> dict[int, int]:
        """_counts() from a Redis without ZUNION: every hour's set read, summed here."""
        with self.redis.pipeline() as pipe:
            for key in keys:
                pipe.zrange(key, 0, -1, withscores=True)
            hours = pipe.execute()
        totals: dict[int, int] = {}
        for members in hours:
            for member, score in members:
                pk = int(member)
                totals[pk] = totals.get(pk, 0) + int(score)
        return totals


_counters: dict[str, object] = {}


def counter():
    """The counter this configuration uses (one per process)."""
    url = settings.REDIS_URL
    if url not in _counters:
        _counters[url] = (
            RedisCounter(url, settings.CACHES["default"].get("KEY_PREFIX", ""))
            if url
            else DatabaseCounter()
        )
    return _counters[url]
