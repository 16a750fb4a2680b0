"""Django's built-in Redis cache, kept fast and kept out of the way when Redis is not.

Fast: Django's RedisCacheClient makes a new `redis.Redis` object for every cache call, and
redis-py builds its table of about 170 response callbacks in each one's constructor: at a
cached page's speed that was a third of the time of a hit (measured with cProfile: 507,000
dict insertions for 3,000 hits). Here each server's client is made once, with its
connection pool, and reused. Django keeps one cache object per thread, and redis-py's pool
notices a fork (gunicorn workers) and opens new connections in the child.

Out of the way: the cache only ever holds copies (pagecache keeps its versions in the
database), so a Redis that is down, paused or slow must cost a page its cache, not its
answer. Every call waits at most the socket timeouts set in settings (REDIS_TIMEOUT); an
error makes the call behave as a miss (reads find nothing, writes are dropped), logs the
outage once, and for REDIS_RETRY_SECONDS after it no call is sent at all, so a paused
server costs one timeout per process per interval, not one per request.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("newsroom.cache")


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # The server is picked once (at random among replicas for a read), and its client
        # and pool are those of that same server.
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._client(connection_pool=self._pools[index])
            self._clients[index] = client
        return client


class Outage:
    """Whether Redis is being left alone after an error, for this process."""

    def __init__(self):
        self.until = 0.0  # time.monotonic() before which no call is sent
        self.down = False
        self.lock = threading.Lock()

    def skipping(self) -> bool:
        return self.down and time.monotonic() < self.until

    def failed(self, error: Exception) -> None:
        with self.lock:
            self.until = time.monotonic() + settings.REDIS_RETRY_SECONDS
            if not self.down:
                self.down = True
                logger.error(
                    "Redis cache unreachable (%s: %s): pages are served without the cache, "
                    "retrying every %s s",
                    type(error).__name__,
                    error,
                    settings.REDIS_RETRY_SECONDS,
                )

    def succeeded(self) -> None:
        if self.down:
            with self.lock:
                if self.down:
                    self.down = False
                    logger.warning("Redis cache reachable again")


_OUTAGES: dict[tuple, Outage] = {}


def outage_of(*servers: str) -> Outage:
    """The outage state of the Redis at `servers`, one per process, shared by everything
    that talks to it (the cache, the Most read counter)."""
    return _OUTAGES.setdefault(tuple(servers), Outage())


def _guarded(name: str, fallback):
    method = getattr(ReusedClientRedisCacheClient, name)

    def call(self, *args, **kwargs):
        if self._outage.skipping():
            return fallback(*args, **kwargs)
        try:
            result = method(self, *args, **kwargs)
        except RedisError as error:
            self._outage.failed(error)
            return fallback(*args, **kwargs)
        self._outage.succeeded()
        return result

    call.__name__ = name
    return call


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (the cache is unreachable)")


class GuardedRedisCacheClient(ReusedClientRedisCacheClient):
    """Every call a miss, never an error, while Redis cannot be reached (see the module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One per server list and process: Django makes a cache object per thread.
        self._outage = outage_of(*self._servers)

    get = _guarded("get", lambda key, default=None: default)
    get_many = _guarded("get_many", lambda keys: {})
    has_key = _guarded("has_key", lambda key: False)
    add = _guarded("add", lambda key, value, timeout: False)
    set = _guarded("set", lambda key, value, timeout: None)
    set_many = _guarded("set_many", lambda data, timeout: list(data))
    touch = _guarded("touch", lambda key, timeout: False)
    delete = _guarded("delete", lambda key: False)
    delete_many = _guarded("delete_many", lambda keys: None)
    incr = _guarded("incr", _missing)
    clear = _guarded("clear", lambda: False)


class NewsroomRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = GuardedRedisCacheClient
