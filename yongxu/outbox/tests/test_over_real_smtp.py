"""Over a real SMTP conversation (aiosmtpd on loopback): a recipient the server refuses was not sent, so the
key e-mail is sent again after the back-off — and arrives once; the hand-over comes only after the envelope
was accepted."""

from datetime import timedelta

import pytest

from yongxu.conftest import smtp_server
from yongxu.orders.tests.factories import pay, place
from yongxu.outbox import services as outbox
from yongxu.outbox.models import Effect

pytestmark = pytest.mark.django_db


class Server:
    def __init__(self):
        self.refuse_next = 0
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def mail_host(settings):
    with smtp_server(settings, Server()) as server:
        yield server


def test_a_refused_recipient_is_sent_again_and_arrives_once(mail_host, product, outbox_frozen):
    order = place(product, email="ann@example.com")
    outbox.drain()
    pay(order)
    mail_host.refuse_next = 1

    outbox.drain()
    keys = Effect.objects.get(key=f"order:{order.pk}:delivered")
    assert (keys.status, keys.handed_at) == ("pending", None)  # nothing was handed over: safe to send again

    outbox_frozen.shift(timedelta(seconds=31))
    outbox.drain()

    keys.refresh_from_db()
    assert (keys.status, keys.attempts) == ("done", 2)
    assert mail_host.received == [["ann@example.com"], ["ann@example.com"]]  # "placed", then the keys, once
