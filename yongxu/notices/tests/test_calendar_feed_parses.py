"""The iCalendar feed parses with a real parser: one VEVENT per window, UTC times, a stable UID,
SEQUENCE raised by every change, STATUS:CANCELLED for a cancelled window."""

from datetime import timedelta

import icalendar
import pytest

from yongxu.maintenance import windows
from yongxu.notices.tests.conftest import NOW, OPERATOR, schedule

pytestmark = pytest.mark.django_db


def events(client) -> dict:
    response = client.get("/status/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_one_event_per_window_with_sequence_and_cancellation(client, frozen):
    kept = schedule(starts_in=timedelta(hours=30), lasts=timedelta(minutes=90), title="Database upgrade")
    dropped = schedule(starts_in=timedelta(hours=50), title="Gateway switch")
    first_uid = str(events(client)["Database upgrade"]["UID"])

    windows.start_window(kept, actor=OPERATOR)
    windows.update_window(kept, actor=OPERATOR, eta=NOW + timedelta(hours=3))
    windows.cancel_window(dropped, actor=OPERATOR, note="Not needed")
    found = events(client)

    kept.refresh_from_db()
    assert len(found) == 2
    assert str(found["Database upgrade"]["UID"]) == first_uid
    assert int(found["Database upgrade"]["SEQUENCE"]) == kept.sequence == 3
    assert found["Database upgrade"]["DTSTART"].dt == NOW  # started early, at NOW
    assert found["Database upgrade"]["DTSTART"].to_ical() == b"20250601T120000Z"  # UTC
    assert found["Database upgrade"]["DTEND"].dt == NOW + timedelta(hours=3)
    assert str(found["Gateway switch"]["STATUS"]) == "CANCELLED"
    assert str(found["Database upgrade"]["STATUS"]) == "CONFIRMED"
