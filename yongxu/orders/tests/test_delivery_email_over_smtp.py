"""The delivery e-mail leaves through a real SMTP conversation (a local aiosmtpd server)."""

import email
import email.policy

import pytest

from yongxu.conftest import smtp_server
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(settings):
    with smtp_server(settings, Inbox()) as inbox:
        yield inbox


def test_the_buyer_receives_the_keys_over_smtp(product, buyer_email, settle, smtp_inbox, mailoutbox):
    order = settle(place(product, email=buyer_email, quantity=2))

    messages = [email.message_from_bytes(e.original_content, policy=email.policy.default)
                for e in smtp_inbox.envelopes if e.rcpt_tos == [buyer_email]]
    [message] = [m for m in messages if m["X-Yongxu-Template"] == "orders/email/delivered"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert message["Subject"] == f"Your order {order.number}: your keys"
    assert message["To"] == buyer_email
    for key in (f"KEY-{product.pk}-00000", f"KEY-{product.pk}-00001"):
        assert key in text
        assert key in html
    assert mailoutbox == []
    assert order.delivery_emailed_at is not None
