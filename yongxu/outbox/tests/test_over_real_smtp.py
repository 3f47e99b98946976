"""Over a real SMTP conversation (aiosmtpd on loopback): a recipient the server refuses was not sent, so the
key e-mail is sent again after the back-off — and arrives once; the hand-over comes only after the envelope
was accepted."""

from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from yongxu.orders.tests.factories import pay, place
from yongxu.orders.tests.test_delivery_email_over_smtp import free_port
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
def smtp_server(settings):
    server = Server()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield server
    controller.stop()


def test_a_refused_recipient_is_sent_again_and_arrives_once(smtp_server, product, outbox_frozen):
    order = place(product, email="ann@example.com")
    outbox.drain()
    pay(order)
    smtp_server.refuse_next = 1

    outbox.drain()
    keys = Effect.objects.get(key=f"order:{order.pk}:delivered")
    assert (keys.status, keys.handed_at) == ("pending", None)  # nothing was handed over: safe to send again

    outbox_frozen.shift(timedelta(seconds=31))
    outbox.drain()

    keys.refresh_from_db()
    assert (keys.status, keys.attempts) == ("done", 2)
    assert smtp_server.received == [["ann@example.com"], ["ann@example.com"]]  # "placed", then the keys, once
