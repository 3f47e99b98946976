"""The advisor's "schedule this window" makes a real planned window through the one
``maintenance.windows.schedule_window``: its closure, its timeline, the feeds; never a bare closure."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from yongxu.audit.models import AuditEntry
from yongxu.maintenance.models import Closure, MaintenanceWindow
from yongxu.planner.errors import BadAdviceRequest
from yongxu.planner.services import schedule_window

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_scheduling_makes_a_planned_window_with_its_closure_and_timeline(client):
    start = NOW + timedelta(days=1)

    window = schedule_window(starts_at=start, duration=timedelta(hours=2), level="full", actor="ops@example.com")

    window = MaintenanceWindow.objects.get(pk=window.pk)
    assert (window.title, window.level, window.phase, window.planned_start, window.planned_end) == (
        "Planned maintenance", "full", "prepare", start, start + timedelta(hours=2))
    assert list(Closure.objects.values_list("source", "starts_at")) == [(f"window:{window.pk}", start)]
    assert [update.kind for update in window.updates.all()] == ["scheduled"]
    assert list(AuditEntry.objects.values_list("action", "actor")) == [("maintenance.closed", "ops@example.com"),
                                                                        ("window.scheduled", "ops@example.com")]
    assert f"UID:window-{window.pk}@" in client.get("/status/calendar.ics").content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_window_in_the_past_is_refused_and_nothing_scheduled():
    with pytest.raises(BadAdviceRequest):
        schedule_window(starts_at=NOW - timedelta(minutes=15), duration=timedelta(hours=2), level="full", actor="ops")

    assert (Closure.objects.count(), MaintenanceWindow.objects.count()) == (0, 0)
