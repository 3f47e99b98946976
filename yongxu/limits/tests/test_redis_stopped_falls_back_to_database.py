"""With REDIS_URL set, attempts are counted in Redis; when that Redis stops, counting goes on in the
database — no error reaches the caller and the limit keeps limiting."""

import pytest
import time_machine

from yongxu.core import ratelimit
from yongxu.core.errors import RateLimited
from yongxu.limits.models import Counter

pytestmark = pytest.mark.django_db


def _allowed(attempts: int) -> int:
    allowed = 0
    for _ in range(attempts):
        try:
            ratelimit.hit("lookup:198.51.100.4", limit=10, window=600)
            allowed += 1
        except RateLimited:
            pass
    return allowed


def test_counts_move_to_the_database_when_redis_stops(own_redis, settings):
    settings.REDIS_URL = own_redis.url
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        before = _allowed(4)
        with own_redis.client() as other_node:
            in_redis = int(other_node.get(f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:"
                                          f"{ratelimit.key_for('lookup:198.51.100.4', 600)}"))
        rows_before = Counter.objects.count()

        own_redis.stop()
        during = _allowed(15)

    assert before == 4
    assert in_redis == 4
    assert rows_before == 0
    assert during == 10
    assert Counter.objects.get().count == 15
