"""A planned window opens by the clock, moves through its phases, runs late in the open when it
reaches its ETA unfinished, and ends only when completed or cancelled."""

from datetime import timedelta

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.conftest import make_product
from yongxu.maintenance import windows
from yongxu.maintenance.models import Phase, WindowUpdate
from yongxu.maintenance.tests.conftest import NOW, OPERATOR

pytestmark = pytest.mark.django_db


def _window(**fields):
    defaults = {"title": "Database upgrade", "start": NOW + timedelta(hours=2), "end": NOW + timedelta(hours=3),
                "level": "full", "actor": OPERATOR, "steps": ["backup", "migrate"]}
    return windows.schedule_window(**{**defaults, **fields})


def test_the_shop_closes_at_the_planned_start_and_not_before(frozen, client):
    product = make_product(keys=1)
    _window()

    frozen.move_to(NOW + timedelta(hours=2) - timedelta(seconds=1))
    before = client.get(f"/p/{product.slug}/").status_code
    frozen.move_to(NOW + timedelta(hours=2))
    at_start = client.get(f"/p/{product.slug}/").status_code

    assert (before, at_start) == (200, 503)


def test_phases_move_by_the_clock_and_are_recorded(frozen):
    window = _window()
    frozen.move_to(NOW + timedelta(hours=2, minutes=1))

    windows.advance_windows()

    window.refresh_from_db()
    assert window.phase == Phase.EXECUTE
    assert window.started_at == NOW + timedelta(hours=2)
    assert list(window.updates.values_list("kind", flat=True)) == ["scheduled", "started"]


def test_reaching_the_eta_unverified_runs_late_instead_of_reopening(frozen, client):
    window = _window()
    frozen.move_to(NOW + timedelta(hours=3))

    windows.advance_windows(late_step=timedelta(minutes=30))

    window.refresh_from_db()
    assert window.eta == NOW + timedelta(hours=3, minutes=30)
    assert window.late_count == 1
    assert window.updates.filter(kind=WindowUpdate.Kind.LATE).count() == 1
    assert client.get("/").status_code == 503
    assert client.get("/status.json").json()["eta"] == (NOW + timedelta(hours=3, minutes=30)).isoformat()


def test_the_late_rule_fires_once_per_step(frozen):
    window = _window()
    frozen.move_to(NOW + timedelta(hours=3, minutes=5))
    windows.advance_windows(late_step=timedelta(minutes=30))
    windows.advance_windows(late_step=timedelta(minutes=30))

    window.refresh_from_db()
    assert window.late_count == 1


def test_steps_report_progress_and_complete_reopens(frozen, client):
    window = _window()
    frozen.move_to(NOW + timedelta(hours=2, minutes=10))
    windows.update_window(window, actor=OPERATOR, step="backup")
    assert client.get("/status.json").json()["progress"] == 50

    windows.verify_window(window, actor=OPERATOR, note="checking")
    windows.complete_window(window, actor=OPERATOR, note="all good")

    window.refresh_from_db()
    assert window.phase == Phase.DONE
    assert client.get("/").status_code == 200
    assert list(window.updates.values_list("kind", flat=True)) == ["scheduled", "progress", "verifying", "completed"]
    assert AuditEntry.objects.filter(action="window.completed").count() == 1


def test_a_cancelled_window_never_opens_and_raises_the_sequence(frozen, client):
    window = _window()
    sequence = window.sequence

    windows.cancel_window(window, actor=OPERATOR, note="not needed")
    frozen.move_to(NOW + timedelta(hours=2, minutes=30))

    window.refresh_from_db()
    assert window.phase == Phase.CANCELLED
    assert window.sequence == sequence + 1
    assert client.get("/").status_code == 200


def test_bad_windows_are_refused(frozen):
    with pytest.raises(windows.WindowError) as past:
        _window(start=NOW - timedelta(hours=1))
    with pytest.raises(windows.WindowError) as backwards:
        _window(end=NOW + timedelta(hours=1))
    with pytest.raises(windows.WindowError) as unknown:
        _window(level="partial")

    assert (past.value.code, backwards.value.code, unknown.value.code) == ("start_in_past", "bad_window", "unknown_level")


def test_security_windows_keep_their_title_from_the_public(frozen, client):
    _window(kind="security", title="Patch CVE-2026-1234 in the payment host", public_reason="")
    frozen.move_to(NOW + timedelta(hours=2))

    page = client.get("/").content.decode()

    assert "CVE" not in page
    assert "Security maintenance" in page
