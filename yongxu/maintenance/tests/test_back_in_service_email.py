""""E-mail me when it's back": left on the maintenance page (which works with the shop closed), sent
once when the maintenance is over."""

import pytest

from yongxu.maintenance import services
from yongxu.maintenance.models import BackSubscriber
from yongxu.maintenance.tests.conftest import switch_off, switch_on

pytestmark = pytest.mark.django_db


def test_a_subscriber_is_told_once_when_the_shop_is_back(client, committed, mailoutbox):
    switch_on("full", public_reason="Upgrade")

    response = client.post("/status/subscribe/", {"email": "Buyer@Example.com"})
    client.post("/status/subscribe/", {"email": "buyer@example.com"})  # twice: still one notice

    assert (response.status_code, response["Location"]) == (302, "/status/")
    assert BackSubscriber.objects.filter(notified_at__isnull=True).count() == 1
    assert mailoutbox == []

    with committed():
        switch_off()

    assert [message.to for message in mailoutbox] == [["buyer@example.com"]]
    assert "is back" in mailoutbox[0].subject
    assert BackSubscriber.objects.filter(notified_at__isnull=True).count() == 0

    with committed():
        switch_on("sync")
        switch_off()

    assert len(mailoutbox) == 1


def test_nobody_is_told_while_another_closure_is_still_on(client, committed, mailoutbox):
    switch_on("full")
    services.close_capabilities(["payment"], source="protection:gateway", reason="gateway flaky", until=None,
                                actor="system:protection")
    client.post("/status/subscribe/", {"email": "buyer@example.com"})

    with committed():
        switch_off()

    assert mailoutbox == []


def test_a_bad_address_is_refused(client):
    switch_on("full")

    response = client.post("/status/subscribe/", {"email": "not-an-address"})

    assert response.status_code == 302
    assert BackSubscriber.objects.count() == 0
