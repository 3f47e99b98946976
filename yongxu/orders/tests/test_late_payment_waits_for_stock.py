"""A payment that arrives after its order expired and its keys were sold is never lost: the order
waits for stock, the buyer is told, and the next import delivers it."""

from datetime import timedelta

import pytest
import time_machine

from yongxu.conftest import make_product
from yongxu.inventory.services import import_keys
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import delivered_items, expire_orders
from yongxu.orders.tests.factories import confirm, pay, place, start

pytestmark = pytest.mark.django_db


def test_a_late_payment_without_stock_waits_then_the_import_delivers_it(buyer_email, buyer_mail,
                                                                        django_capture_on_commit_callbacks):
    scarce = make_product(keys=1)
    late = place(scarce, email=buyer_email)
    payment = start(late)
    with time_machine.travel(late.expires_at + timedelta(seconds=1), tick=False):
        expire_orders()
        pay(place(scarce, email="quicker@example.com"))

        with django_capture_on_commit_callbacks(execute=True):
            late = confirm(payment)

    assert late.status == OrderStatus.ATTENTION
    assert late.attention_reason == "out of stock when the payment arrived"
    assert Alert.objects.get(kind=AlertKind.NEEDS_STOCK).subject_ref == late.number
    [received] = buyer_mail()
    assert received.subject == f"Your order {late.number} is paid and being prepared"

    with django_capture_on_commit_callbacks(execute=True):
        result = import_keys(scarce, ["RESTOCK-1", "RESTOCK-2"], actor="test")

    late.refresh_from_db()
    assert result.fulfilled_orders == [late.number]
    assert late.status == OrderStatus.DELIVERED
    assert delivered_items(late) == ["RESTOCK-1"]
    [_, delivered] = buyer_mail()
    assert "RESTOCK-1" in delivered.body
