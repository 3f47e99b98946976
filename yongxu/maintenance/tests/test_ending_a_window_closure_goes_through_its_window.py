"""Ending a planned window's closure (by id, as `maintenance end`, the API and the admin do) goes
through the window: one still to come is cancelled, one running is completed; its phase, public
timeline, feeds and audit log say so. A bare closure no window owns is simply ended."""

from datetime import timedelta

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.maintenance import services, windows
from yongxu.maintenance.models import Closure, MaintenanceWindow
from yongxu.maintenance.tests.conftest import NOW, OPERATOR

pytestmark = pytest.mark.django_db


def planned(**options) -> MaintenanceWindow:
    return windows.schedule_window(title="Key store upgrade", start=NOW + timedelta(hours=2), end=NOW + timedelta(hours=3),
                                   level="readonly", actor=OPERATOR, **options)


def test_a_window_still_to_come_is_cancelled(client, frozen):
    window = planned()

    services.end_closure(window.closure_id, actor="user:ops", note="Postponed to next week")

    window.refresh_from_db()
    assert (window.phase, window.cancelled_at) == ("cancelled", NOW)
    assert [(u.kind, u.note, u.actor) for u in window.updates.all()][-1] == ("cancelled", "Postponed to next week",
                                                                              "user:ops")
    assert "STATUS:CANCELLED" in client.get("/status/calendar.ics").content.decode()
    assert AuditEntry.objects.filter(action="window.cancelled", actor="user:ops").count() == 1
    frozen.move_to(NOW + timedelta(hours=2, minutes=30), tick=False)
    assert client.post("/p/any/buy/").status_code != 503


def test_a_running_window_is_completed(client, frozen):
    window = planned()
    frozen.move_to(NOW + timedelta(hours=2, minutes=10), tick=False)
    assert client.post("/p/any/buy/").status_code == 503

    services.end_closure(window.closure_id, actor="user:ops")

    window.refresh_from_db()
    assert (window.phase, window.completed_at) == ("done", NOW + timedelta(hours=2, minutes=10))
    assert [u.kind for u in window.updates.all()] == ["scheduled", "completed"]
    assert "Completed: Key store upgrade" in client.get("/status/feed.atom").content.decode()
    assert client.post("/p/any/buy/").status_code != 503


def test_a_bare_closure_no_window_owns_is_ended_on_its_own(frozen):
    closure = Closure.objects.create(source="window:advisor", level="full", starts_at=NOW, ends_at=NOW + timedelta(hours=72),
                                     created_by="old advisor")

    services.end_closure(closure.pk, actor="user:ops")

    closure.refresh_from_db()
    assert closure.ended_at == NOW
    assert not services.report().state.in_maintenance
    assert list(AuditEntry.objects.values_list("action", "actor")) == [("maintenance.opened", "user:ops")]
