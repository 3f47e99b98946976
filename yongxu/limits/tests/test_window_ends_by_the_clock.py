"""A fixed window ends when our clock says so: the next attempt starts a fresh count, and a refusal
says how many seconds are left of the window it was made in."""

import pytest
import time_machine

from yongxu.core import ratelimit
from yongxu.core.errors import RateLimited

pytestmark = pytest.mark.django_db


def test_a_refusal_says_the_seconds_left_and_the_next_window_counts_afresh():
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:  # a 10-minute window starts at 12:00
        ratelimit.hit("back:198.51.100.6", limit=2, window=600)
        ratelimit.hit("back:198.51.100.6", limit=2, window=600)
        clock.shift(450)
        with pytest.raises(RateLimited) as refusal:
            ratelimit.hit("back:198.51.100.6", limit=2, window=600)
        clock.shift(150)
        fresh = ratelimit.count("back:198.51.100.6", window=600)

    assert refusal.value.status == 429
    assert refusal.value.details == {"retry_after": 150}
    assert fresh == 1


def test_reset_forgets_the_current_window():
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        for _ in range(3):
            ratelimit.count("signin:pair:x", window=900)
        ratelimit.reset("signin:pair:x", window=900)
        after = ratelimit.count("signin:pair:x", window=900)

    assert after == 1
