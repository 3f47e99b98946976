"""A manual switch, on then off from the CLI, the API or the control room, shows on the status page
(now, then under "Recently"), in /status.json's ``closure_history``, in the Atom feed (started,
completed) and in the iCalendar feed, described through its source; its internal reason never."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from yongxu.maintenance.models import Closure
from yongxu.notices.tests.conftest import NOW

pytestmark = pytest.mark.django_db
INTERNAL = "INTERNAL: ticket OPS-99"


def by_cli(client, action: str):
    call_command("maintenance", *(["on", "--level", "readonly", "--public-reason", "Moving to a new server",
                                   "--reason", INTERNAL] if action == "on" else ["off"]), stdout=StringIO())


def by_api(client, action: str):
    payload = {"action": action, "level": "readonly", "public_reason": "Moving to a new server", "reason": INTERNAL}
    assert client.post("/api/v1/maintenance", payload, content_type="application/json",
                       HTTP_AUTHORIZATION="Bearer " + "t" * 32).status_code == 200


def by_control_room(client, action: str):
    client.post("/admin/maintenance/", {"action": "preset", "preset": "readonly", "confirm": "yes",
                                        "public_reason": "Moving to a new server", "reason": INTERNAL}
                if action == "on" else {"action": "off"})


@pytest.mark.parametrize("switch", [by_cli, by_api, by_control_room], ids=["cli", "api", "control room"])
def test_a_manual_switch_is_in_the_history_and_the_feeds(client, operator, frozen, settings, switch):
    settings.YONGXU_OPERATOR_TOKEN = "t" * 32
    client.force_login(operator)
    switch(client, "on")
    closure = Closure.objects.get()
    now = client.get("/status.json").json()["closure_history"]
    assert [(c["id"], c["title"], c["kind"]) for c in now["active"]] == [(closure.pk, "Moving to a new server", "maintenance")]
    frozen.move_to(NOW + timedelta(minutes=40), tick=False)

    switch(client, "off")

    history = client.get("/status.json").json()["closure_history"]
    assert (history["active"], history["upcoming"]) == ([], [])
    [past] = history["recent"]
    assert (past["starts_at"], past["ends_at"], past["affects"]) == (
        NOW.isoformat(), (NOW + timedelta(minutes=40)).isoformat(), "new orders and payments")
    page = client.get("/status/").content.decode()
    assert f'id="closure-{closure.pk}"' in page.split("Recently", 1)[1]
    atom = client.get("/status/feed.atom").content.decode()
    assert "<title>Started: Moving to a new server</title>" in atom and "<title>Completed: Moving to a new server</title>" in atom
    calendar = client.get("/status/calendar.ics").content.decode()
    assert f"UID:closure-{closure.pk}@" in calendar and "DTSTART:20250601T120000Z" in calendar
    assert "DTEND:20250601T124000Z" in calendar and "SUMMARY:Moving to a new server" in calendar
    for body in (page, atom, calendar, client.get("/status.json").content.decode()):
        assert INTERNAL not in body


def test_a_switch_without_a_public_reason_reads_as_its_source_says(client, frozen):
    call_command("maintenance", "on", "--level", "full", "--reason", INTERNAL, stdout=StringIO())

    [closure] = client.get("/status.json").json()["closure_history"]["active"]

    assert (closure["title"], closure["source"], closure["kind_label"]) == ("Maintenance", "manual", "Maintenance")


def test_a_protection_reads_as_an_outage(client, frozen):
    from yongxu.maintenance import services

    services.close_capabilities(["delivery"], source="protection:key-vault", reason=INTERNAL, until=None,
                                actor="system:protection")

    [closure] = client.get("/status.json").json()["closure_history"]["active"]

    assert (closure["title"], closure["kind"], closure["kind_label"]) == ("Protective pause", "outage", "Outage")
