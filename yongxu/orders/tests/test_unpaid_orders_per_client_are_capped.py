"""A client holds at most 3 unpaid orders: seven API calls for a 70-key product reserve 30 keys, not
all 70; the 4th answers 429 with Retry-After (until its first unpaid order expires) and reserves
nothing. Paying, or an order expiring, frees a place; other clients are not affected."""

import pytest
import time_machine
from django.test import Client

from yongxu.conftest import make_product
from yongxu.inventory.services import available_count
from yongxu.orders.models import Order, OrderStatus
from yongxu.orders.tests.factories import pay

pytestmark = pytest.mark.django_db

SCRIPT = "203.0.113.50"


def _order(product, ip=SCRIPT, email="script@example.com"):
    return Client(REMOTE_ADDR=ip).post("/api/v1/orders", {"product": product.slug, "quantity": 10, "email": email},
                                       content_type="application/json")


def test_seven_calls_cannot_hold_the_whole_stock():
    product = make_product(keys=70, max_quantity=10)
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        answers = []
        for n in range(7):
            answers.append(_order(product, email=f"s{n}@example.com"))
            clock.shift(60)
        buyer = _order(product, ip="198.51.100.8", email="buyer@example.com")

    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429, 429, 429]
    assert answers[3].json() == {
        "error": "unpaid_orders_limit", "retry_after": 720,
        "message": "You already have 3 unpaid orders. Pay for one, or let it expire, before you order again."}
    assert answers[3]["Retry-After"] == "720"  # the first order, placed at 12:00, expires at 12:15; now 12:03
    assert buyer.status_code == 201
    assert Order.objects.filter(client_ip=SCRIPT).count() == 3
    assert available_count(product) == 30


def test_a_paid_or_expired_order_frees_a_place():
    product = make_product(keys=70, max_quantity=10)
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        for n in range(3):
            _order(product, email=f"s{n}@example.com")
        pay(Order.objects.earliest("pk"))
        after_paying = _order(product, email="s3@example.com")
        refused = _order(product, email="s4@example.com")
        clock.shift(15 * 60)
        after_expiry = _order(product, email="s5@example.com")

    assert (after_paying.status_code, refused.status_code, after_expiry.status_code) == (201, 429, 201)
    assert Order.objects.filter(status=OrderStatus.PENDING, client_ip=SCRIPT).count() == 4  # 3 past their time
