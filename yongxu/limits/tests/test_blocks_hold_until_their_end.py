"""A block (a sign-in cool-down) is shared like the counters and holds until its end by our clock."""

import pytest
import time_machine

from yongxu.core import ratelimit

pytestmark = pytest.mark.django_db


def test_a_block_counts_down_and_ends():
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        before = ratelimit.blocked_for("signin:client:192.0.2.7")
        ratelimit.block("signin:client:192.0.2.7", seconds=900)
        clock.shift(600)
        during = ratelimit.blocked_for("signin:client:192.0.2.7")
        clock.shift(300)
        after = ratelimit.blocked_for("signin:client:192.0.2.7")

    assert (before, during, after) == (0, 300, 0)


def test_unblock_ends_it_at_once():
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        ratelimit.block("signin:client:192.0.2.8", seconds=900)
        ratelimit.unblock("signin:client:192.0.2.8")

        assert ratelimit.blocked_for("signin:client:192.0.2.8") == 0
