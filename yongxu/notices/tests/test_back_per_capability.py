""""We're back", per capability: whoever asked on the maintenance page (which posts the closed
capabilities and the path the visitor hit) or on the status page ("tell me when X is back") is told
once, when what they waited for reopens — not only when all maintenance is over."""

from datetime import timedelta

import pytest

from yongxu.maintenance import services, windows
from yongxu.maintenance.models import BackSubscriber
from yongxu.maintenance.snapshot import current_state
from yongxu.maintenance.tasks import deliver_when_reopened
from yongxu.notices.tests.conftest import NOW, OPERATOR, schedule
from yongxu.outbox import services as outbox

pytestmark = pytest.mark.django_db


def _told(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def test_checkout_subscribers_hear_when_checkout_reopens_while_support_stays_closed(client, frozen, committed,
                                                                                   mailoutbox):
    with committed():
        checkout = schedule(starts_in=timedelta(hours=1), lasts=timedelta(hours=2), level="modules",
                            modules=["checkout", "payment"], title="Payments upgrade")
        support = schedule(starts_in=timedelta(hours=1), lasts=timedelta(hours=4), level="modules",
                           modules=["support"], title="Helpdesk move")
    frozen.move_to(NOW + timedelta(hours=2), tick=False)
    closed = sorted(current_state().closed)
    assert {"checkout", "payment", "support"} <= set(closed)

    # The maintenance page, met on the buy page and on the support page: the path names what they wait for.
    client.post("/status/subscribe/", {"email": "buyer@example.com", "path": "/p/some-key/buy/", "waiting_for": closed})
    client.post("/status/subscribe/", {"email": "helpme@example.com", "path": "/support/", "waiting_for": closed})
    # The status page: "tell me when payments are back".
    client.post("/status/subscribe/", {"email": "payer@example.com", "waiting_for": "payment"})
    # The status page's default: the whole shop.
    client.post("/status/subscribe/", {"email": "everything@example.com", "waiting_for": ""})
    assert dict(BackSubscriber.objects.values_list("email", "waiting_for")) == {
        "buyer@example.com": ["checkout"], "helpme@example.com": ["support"], "payer@example.com": ["payment"],
        "everything@example.com": []}

    deliver_when_reopened.call_local()  # the minute job while both windows run: nobody
    assert mailoutbox == []

    frozen.move_to(NOW + timedelta(hours=3), tick=False)
    with committed():
        windows.complete_window(checkout, actor=OPERATOR)
    assert _told(mailoutbox) == ["buyer@example.com", "payer@example.com"]
    assert "New orders" in next(m for m in mailoutbox if m.to == ["buyer@example.com"]).body

    deliver_when_reopened.call_local()  # again, and again: still once each
    deliver_when_reopened.call_local()
    assert _told(mailoutbox) == ["buyer@example.com", "payer@example.com"]

    frozen.move_to(NOW + timedelta(hours=5), tick=False)
    with committed():
        windows.complete_window(support, actor=OPERATOR)
    deliver_when_reopened.call_local()
    assert _told(mailoutbox) == ["buyer@example.com", "everything@example.com", "helpme@example.com",
                                 "payer@example.com"]
    assert BackSubscriber.objects.filter(notified_at__isnull=True).count() == 0


def test_a_closure_that_ends_by_the_clock_is_caught_by_the_minute_job(client, frozen, mailoutbox):
    services.close_capabilities(["support"], source="protection:helpdesk", reason="helpdesk down",
                                until=NOW + timedelta(minutes=30), actor="system:protection")
    client.post("/status/subscribe/", {"email": "helpme@example.com", "path": "/support/"})
    assert BackSubscriber.objects.get().waiting_for == ["support"]

    deliver_when_reopened.call_local()
    assert mailoutbox == []

    frozen.move_to(NOW + timedelta(minutes=31), tick=False)
    deliver_when_reopened.call_local()
    deliver_when_reopened.call_local()
    outbox.drain()  # the worker's dispatcher sends what the minute job queued
    assert _told(mailoutbox) == ["helpme@example.com"]


def test_asking_again_waits_for_both(client, frozen):
    services.close_capabilities(["support", "checkout"], source="protection:x", reason="x", until=None,
                                actor="system:protection")
    client.post("/status/subscribe/", {"email": "a@example.com", "path": "/support/"})
    client.post("/status/subscribe/", {"email": "A@example.com", "path": "/p/k/buy/"})
    client.post("/status/subscribe/", {"email": "a@example.com", "waiting_for": ["nonsense", "status", "checkout"]})

    assert list(BackSubscriber.objects.values_list("waiting_for", flat=True)) == [["checkout", "support"]]
