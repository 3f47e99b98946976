"""An unpaid order past its deadline expires and gives its keys back, even when nobody runs the job."""

from datetime import timedelta

import pytest
import time_machine

from yongxu.audit.models import AuditEntry
from yongxu.conftest import make_product
from yongxu.inventory.models import CardKey, KeyStatus
from yongxu.inventory.services import available_count
from yongxu.orders.errors import OutOfStock
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import expire_orders
from yongxu.orders.tests.factories import pay, place

pytestmark = pytest.mark.django_db


def test_an_order_past_its_deadline_expires_and_its_keys_return_to_stock(product, buyer_email):
    order = place(product, email=buyer_email, quantity=2)

    with time_machine.travel(order.expires_at + timedelta(seconds=1), tick=False):
        expired = expire_orders()

    order.refresh_from_db()
    assert expired == 1
    assert order.status == OrderStatus.EXPIRED
    assert available_count(product) == 5
    assert CardKey.objects.filter(order=order).count() == 0
    assert AuditEntry.objects.get(action="order.expired").data["released_keys"] == 2


def test_an_order_before_its_deadline_is_left_alone(product, buyer_email):
    order = place(product, email=buyer_email, quantity=2)

    with time_machine.travel(order.expires_at - timedelta(seconds=1), tick=False):
        expired = expire_orders()

    order.refresh_from_db()
    assert expired == 0
    assert order.status == OrderStatus.PENDING
    assert available_count(product) == 3


def test_a_paid_order_never_expires(product, buyer_email):
    order = pay(place(product, email=buyer_email, quantity=2))

    with time_machine.travel(order.expires_at + timedelta(days=1), tick=False):
        expired = expire_orders()

    order.refresh_from_db()
    assert expired == 0
    assert order.status == OrderStatus.DELIVERED
    assert CardKey.objects.filter(order=order, status=KeyStatus.SOLD).count() == 2


def test_a_new_order_first_frees_keys_held_by_stale_reservations(buyer_email):
    scarce = make_product(keys=2)
    stale = place(scarce, email=buyer_email, quantity=2)

    with time_machine.travel(stale.expires_at + timedelta(seconds=1), tick=False):
        fresh = place(scarce, email="second@example.com", quantity=2)

    stale.refresh_from_db()
    assert stale.status == OrderStatus.EXPIRED
    assert CardKey.objects.filter(order=fresh, status=KeyStatus.RESERVED).count() == 2
    assert available_count(scarce) == 0


def test_reservations_still_running_keep_their_keys(buyer_email):
    scarce = make_product(keys=2)
    held = place(scarce, email=buyer_email, quantity=2)

    with time_machine.travel(held.expires_at - timedelta(seconds=1), tick=False), pytest.raises(OutOfStock):
        place(scarce, email="second@example.com", quantity=2)

    held.refresh_from_db()
    assert held.status == OrderStatus.PENDING
    assert CardKey.objects.filter(order=held, status=KeyStatus.RESERVED).count() == 2
