"""A Redis that accepts connections and never answers costs one short timeout, then the database counts
for a while without asking Redis again (not a timeout per request); afterwards Redis is tried again."""

import pytest
import time_machine

from yongxu.core import ratelimit
from yongxu.core.errors import RateLimited
from yongxu.limits.models import Counter

pytestmark = pytest.mark.django_db


def test_one_timeout_then_the_database_until_the_retry(hung_redis, settings, monkeypatch):
    settings.REDIS_URL = hung_redis.url
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        outcomes = []
        for _ in range(12):
            try:
                ratelimit.hit("signup:198.51.100.5", limit=10, window=3600)
                outcomes.append("ok")
            except RateLimited as refusal:
                outcomes.append(refusal.details["retry_after"])
        tried_during_outage = len(hung_redis.connections)

        monkeypatch.setattr(ratelimit, "_redis_down_until", {})  # REDIS_RETRY_SECONDS of real time have passed
        with pytest.raises(RateLimited):
            ratelimit.hit("signup:198.51.100.5", limit=10, window=3600)
        tried_after = len(hung_redis.connections)

    assert outcomes == ["ok"] * 10 + [3600, 3600]
    assert tried_during_outage == 1
    assert tried_after == 2
    assert Counter.objects.get().count == 13
