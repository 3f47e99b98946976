"""Staff see, on the order's page, each e-mail the buyer is owed and how it went (sent, waiting, maybe sent)."""

import pytest

from yongxu.orders.tests.factories import pay, place
from yongxu.outbox import services as outbox

pytestmark = pytest.mark.django_db


def test_the_order_page_lists_its_emails_with_their_state(client, operator, product, mail_server):
    order = place(product, email="ann@example.com")
    outbox.drain()
    order = pay(order)
    mail_server.append("dropped")
    outbox.drain()

    client.force_login(operator)
    page = client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()

    assert "placed — Done (1 attempt(s))" in page
    assert "delivered — Maybe sent (not retried) (1 attempt(s)): SMTPServerDisconnected" in page
