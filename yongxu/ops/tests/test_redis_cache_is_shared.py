"""With REDIS_URL set, the cache and the rate limits live in Redis, shared by every process: a counter
bumped here is seen by an independent Redis connection."""

import os

import pytest
import redis

from yongxu.core.errors import RateLimited
from yongxu.core.ratelimit import hit, key_for
from yongxu.ops.services import check_cache


@pytest.mark.redis
def test_rate_limit_counters_live_in_redis_for_every_node(settings):
    assert settings.CACHES["default"]["BACKEND"] == "yongxu.core.cache.ResilientRedisCache"

    hit("lookup:203.0.113.9", limit=2, window=60)
    hit("lookup:203.0.113.9", limit=2, window=60)

    other_node = redis.Redis.from_url(os.environ["REDIS_URL"])
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert int(other_node.get(f"{prefix}:{key_for('lookup:203.0.113.9', 60)}")) == 2
    with pytest.raises(RateLimited):
        hit("lookup:203.0.113.9", limit=2, window=60)


@pytest.mark.redis
def test_readiness_sees_the_redis_cache():
    assert check_cache().ok is True
