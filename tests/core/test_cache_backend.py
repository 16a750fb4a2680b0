"""The Redis cache (REDIS_URL) against the Redis this machine runs at 127.0.0.1:6379."""

import socket
import uuid

import pytest

from core.cache_backend import NewsroomRedisCache
from tests.test_settings import read_setting

REDIS = ("127.0.0.1", 6379)


def redis_running() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_cache():
    if not redis_running():
        pytest.skip("Redis is not running at 127.0.0.1:6379 (.ci/run starts it)")
    cache = NewsroomRedisCache(
        "redis://127.0.0.1:6379/14", {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"}
    )
    yield cache
    cache.clear()


def test_redis_url_selects_the_redis_cache():
    backend = read_setting("settings.CACHES['default']['BACKEND']", REDIS_URL="redis://h:6379/0")
    assert backend == "'core.cache_backend.NewsroomRedisCache'"
    assert read_setting("settings.CACHES['default']['BACKEND']", REDIS_URL="") == (
        "'django.core.cache.backends.locmem.LocMemCache'"
    )


def test_one_redis_client_serves_every_call(redis_cache):
    client = redis_cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client(write=True)


def test_values_round_trip_through_redis(redis_cache):
    page = (b"v1", 200, {"Content-Type": "text/html"}, "Điện Biên".encode() * 1000)
    redis_cache.set("page", page, 30)
    redis_cache.set("state", {"version": "v1"}, 30)
    assert redis_cache.get_many(["state", "page", "absent"]) == {
        "state": {"version": "v1"},
        "page": page,
    }
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_each_server_keeps_its_own_client_and_pool():
    """With a primary and a read replica listed, a read may go to either; each server's
    client wraps that server's own pool."""
    cache = NewsroomRedisCache("redis://127.0.0.1:6379/13;redis://127.0.0.1:6379/12", {})
    client = cache._cache
    for _ in range(20):
        for write in (False, True):
            redis_client = client.get_client(write=write)
            database = redis_client.connection_pool.connection_kwargs["db"]
            index = {13: 0, 12: 1}[database]
            assert client._clients[index] is redis_client
            assert client._pools[index] is redis_client.connection_pool
    assert client.get_client(write=True).connection_pool.connection_kwargs["db"] == 13
