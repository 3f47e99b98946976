"""A manual product, once paid, waits for the merchant: the buyer is told it was received, the
merchant is alerted."""

import pytest

from yongxu.catalog.models import DeliveryMode
from yongxu.conftest import make_product
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import delivered_items
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


def test_a_paid_manual_order_waits_for_the_merchant(buyer_email, settle, buyer_mail, mailoutbox, settings):
    manual = make_product(delivery_mode=DeliveryMode.MANUAL)

    order = settle(place(manual, email=buyer_email))

    assert order.status == OrderStatus.PAID
    assert delivered_items(order) == []
    [message] = buyer_mail()
    assert message.subject == f"Your order {order.number} is paid and being prepared"
    assert "The merchant is preparing your order" in message.body
    alert = Alert.objects.get()
    assert (alert.kind, alert.subject_ref) == (AlertKind.MANUAL_DELIVERY, order.number)
    [to_merchant] = [m for m in mailoutbox if m.to == settings.MERCHANT_EMAILS]
    assert order.number in to_merchant.body
