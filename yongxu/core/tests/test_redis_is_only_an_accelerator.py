"""With Redis stopped or hung, the cache is a miss for reads and a no-op for writes — never an exception —
counting says it cannot count, and a delete that failed during the outage is replayed when Redis answers
again, so nothing stays stale."""

import pytest

from yongxu.core.cache import CacheUnavailable, ResilientRedisCache


def cache_on(server) -> ResilientRedisCache:
    return ResilientRedisCache(server.url, {"KEY_PREFIX": "resilience-test", "OPTIONS": {"socket_timeout": 0.2,
                                                                                         "socket_connect_timeout": 0.2}})


def test_a_stopped_redis_is_a_miss_and_writes_are_skipped(own_redis):
    cache = cache_on(own_redis)
    cache.set("shop", "settings")
    own_redis.stop()

    assert cache.get("shop", "default") == "default"
    assert cache.get_many(["shop"]) == {}
    assert cache.add("other", 1) is False
    cache.set("shop", "new")  # no exception
    with pytest.raises(CacheUnavailable):
        cache.incr("counter")


def test_a_hung_redis_is_a_miss_too(own_redis):
    cache = cache_on(own_redis)
    cache.set("shop", "settings")
    own_redis.hang()
    try:
        assert cache.get("shop", "default") == "default"
        assert cache.available is False  # left alone for a few seconds: no timeout per call
        assert cache.get("shop", "default") == "default"
    finally:
        own_redis.resume()


def test_a_delete_skipped_in_the_outage_is_replayed_before_the_next_read(own_redis, monkeypatch):
    import time

    cache = cache_on(own_redis)
    cache.set("shop", "old settings")
    monkeypatch.setattr(cache, "_down_until", time.monotonic() + 60)  # Redis failed a moment ago: left alone
    cache.delete("shop")  # the admin saved new settings meanwhile
    monkeypatch.setattr(cache, "_down_until", 0.0)  # the pause is over; Redis still holds the old value

    assert cache.get("shop") is None  # the delete is replayed first: the old value is never served
