"""Today's revenue on the dashboard is net of the refunds made today (given back through the gateway or
recorded as manual), shown on a line of their own; failed refunds and other days' refunds do not count."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from yongxu.conftest import make_product
from yongxu.core import clock
from yongxu.ops.dashboard import figures
from yongxu.orders.tests.factories import pay, place
from yongxu.payments.models import Payment, Refund, RefundStatus
from yongxu.payments.services import refund_payment

pytestmark = pytest.mark.django_db
NOON = "2026-03-10 12:00:00+00:00"


def _refund(order, amount: str):
    return refund_payment(Payment.objects.get(order=order, status="succeeded"), amount=Decimal(amount),
                          reason="could not deliver", actor="staff:merchant")


@time_machine.travel(NOON, tick=False)
def test_todays_refunds_are_taken_off_todays_revenue(client, merchant):
    product = make_product(keys=10)
    with time_machine.travel(timedelta(days=-1), tick=False):
        paid_yesterday, refunded_yesterday = pay(place(product)), pay(place(product))
        _refund(refunded_yesterday, "9.99")  # yesterday's refund: not today's
    _refund(paid_yesterday, "4.00")  # an order paid yesterday, partly refunded today
    paid_today = pay(place(product, quantity=2))
    _refund(paid_today, "1.00")
    Refund.objects.create(payment=Payment.objects.get(order=paid_today, status="succeeded"), request_id="RF-failed",
                          amount=Decimal("5.00"), currency="CNY", reason="x", status=RefundStatus.FAILED,
                          created_at=clock.now(), created_by="staff:merchant")

    revenue = figures()["revenue"]
    client.force_login(merchant)
    page = client.get(reverse("dashboard")).content.decode()

    assert revenue == [{"currency": "CNY", "gross": Decimal("19.98"), "n": 1, "refunded": Decimal("5.00"),
                        "refunds": 2, "total": Decimal("14.98")}]
    assert "<strong>14.98 CNY</strong> (1)" in page
    assert "Refunds: <strong>−5.00 CNY</strong> (2)" in page


@time_machine.travel(NOON, tick=False)
def test_a_refund_on_a_day_without_sales_shows_a_negative_revenue():
    product = make_product(keys=2)
    with time_machine.travel(timedelta(days=-1), tick=False):
        order = pay(place(product))
    _refund(order, "9.99")

    assert figures()["revenue"] == [{"currency": "CNY", "gross": Decimal("0.00"), "n": 0,
                                     "refunded": Decimal("9.99"), "refunds": 1, "total": Decimal("-9.99")}]


@time_machine.travel(NOON, tick=False)
def test_no_refunds_no_refund_line(client, merchant):
    pay(place(make_product(keys=2)))
    client.force_login(merchant)

    page = client.get(reverse("dashboard")).content.decode()

    assert "<strong>9.99 CNY</strong> (1)" in page and "Refunds:" not in page
