"""Rows of windows and blocks that are over are deleted by the periodic prune; live ones stay."""

import pytest
import time_machine

from yongxu.core import ratelimit
from yongxu.limits.models import Counter
from yongxu.limits.tasks import prune_counters

pytestmark = pytest.mark.django_db


def test_only_ended_rows_go(settings):
    settings.REDIS_URL = ""  # the database's rows are what is pruned
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        ratelimit.count("lookup:a", window=600)
        ratelimit.block("signin:client:b", seconds=3600)
        clock.shift(600)
        ratelimit.count("lookup:a", window=600)  # the next window
        prune_counters.call_local()

    assert sorted(Counter.objects.values_list("key", "count")) == [
        ("block:signin:client:b", 0), (f"ratelimit:lookup:a:{(1772366400 + 600) // 600}", 1)]
