"""Advance notices go to recently active buyers at 72 h and 24 h before the window, once per point,
deduplicated, without who unsubscribed or ordered too long ago, in the buyer's language and zone."""

from datetime import timedelta

import pytest

from yongxu.notices import advance
from yongxu.notices.models import NoticeRun, Unsubscribe
from yongxu.notices.tests.conftest import buyer_ordered, deliver, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyers(frozen):
    buyer_ordered("ann@example.com")
    buyer_ordered("ANN@example.com", days_ago=3)  # the same buyer again
    buyer_ordered("li@example.com", language="zh-hans", days_ago=60)
    buyer_ordered("old@example.com", days_ago=91)
    buyer_ordered("gone@example.com")
    Unsubscribe.objects.create(email="gone@example.com")


def test_nothing_goes_out_before_the_first_point(buyers, frozen, mailoutbox):
    schedule(starts_in=timedelta(hours=72, minutes=1))

    advance.run_due()
    deliver(frozen)

    assert mailoutbox == []
    assert NoticeRun.objects.count() == 0


def test_each_point_sends_once_to_each_recent_buyer(buyers, frozen, mailoutbox):
    window = schedule(starts_in=timedelta(hours=73), level="readonly")

    frozen.shift(timedelta(hours=1))
    advance.run_due()
    deliver(frozen)
    advance.run_due()  # the next minute: nothing new
    deliver(frozen)

    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.com", "li@example.com"]
    run = NoticeRun.objects.get()
    assert (run.window, run.point_hours, run.total, run.progress()) == (window, 72, 2, {"done": 2})

    frozen.shift(timedelta(hours=48))
    advance.run_due()
    deliver(frozen)

    assert len(mailoutbox) == 4
    assert sorted(NoticeRun.objects.values_list("point_hours", flat=True)) == [24, 72]


def test_the_notice_is_personal_and_has_a_one_click_unsubscribe(buyers, frozen, mailoutbox):
    schedule(starts_in=timedelta(hours=20), level="readonly")  # 12:00 UTC + 20 h = 08:00 UTC, 16:00 in Shanghai

    advance.run_due()
    deliver(frozen, after=timedelta(seconds=2))

    english = next(m for m in mailoutbox if m.to == ["ann@example.com"])
    chinese = next(m for m in mailoutbox if m.to == ["li@example.com"])
    assert "Buy before 08:00 (UTC time)" in english.body
    assert "new orders and payments" in english.body
    assert "16:00" in chinese.body and "Asia/Shanghai" in chinese.body
    assert english.extra_headers["List-Unsubscribe"].startswith("<http")
    assert english.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/status/feedback/" in english.body
    assert NoticeRun.objects.get().point_hours == 24  # planned 20 h ahead: only the 24 h notice
