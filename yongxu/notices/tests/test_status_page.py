"""The status page: capability states, windows with their timelines, 90 days of bars readable
without colour, links to both feeds; /status.json has the same, with CORS; the htmx partial polls."""

from datetime import timedelta

import pytest

from yongxu.maintenance import services, windows
from yongxu.notices.tests.conftest import NOW, OPERATOR, schedule

pytestmark = pytest.mark.django_db


def test_the_page_links_the_feeds_and_polls_its_live_part(client, frozen):
    page = client.get("/status/").content.decode()

    assert '<link rel="alternate" type="application/atom+xml"' in page and 'href="/status/feed.atom"' in page
    assert '<link rel="alternate" type="text/calendar"' in page and 'href="/status/calendar.ics"' in page
    assert 'hx-get="/status/live/"' in page and 'hx-trigger="every 5s"' in page


def test_states_windows_and_history(client, frozen, committed):
    window = schedule(starts_in=timedelta(hours=5), title="Key store upgrade")
    windows.update_window(window, actor=OPERATOR, note="Staging tested")
    services.close_capabilities(["delivery"], source="manual", reason="x", until=NOW + timedelta(hours=1), actor=OPERATOR,
                                starts_at=NOW - timedelta(hours=2))
    services.close_capabilities(["payment"], source="protection:gateway", reason="y", until=None, actor=OPERATOR)

    body = client.get("/status.json")
    data = body.json()

    assert body["Access-Control-Allow-Origin"] == "*"
    states = {cap["name"]: cap["state"] for cap in data["capabilities"]}
    assert (states["delivery"], states["payment"], states["browse"]) == ("maintenance", "outage", "operational")
    assert data["in_maintenance"] is True and "closed" in data  # the maintenance page's keys stay
    [upcoming] = data["windows"]["upcoming"]
    assert (upcoming["title"], [u["kind"] for u in upcoming["updates"]]) == ("Key store upgrade", ["note", "scheduled"])
    delivery = next(cap for cap in data["capabilities"] if cap["name"] == "delivery")
    assert len(delivery["history"]) == 90
    assert delivery["history"][-1] == {"date": "2025-06-01", "state": "maintenance", "minutes": 120}
    assert delivery["uptime"] == round(100 * (90 * 1440 - 120) / (90 * 1440), 2)

    page = client.get("/status/live/").content.decode()
    assert "Key store upgrade" in page and "Staging tested" in page
    assert 'title="2025-06-01: maintenance (120 min)"' in page  # the bar says it in words too
    assert "Outage" in page
