"""A coupon lowers the amount the payment must match; the breakdown is on the order."""

from decimal import Decimal

import pytest

from yongxu.conftest import make_product
from yongxu.coupons.models import CouponKind, Redemption
from yongxu.coupons.tests.conftest import make_coupon
from yongxu.orders.services import place_order
from yongxu.payments.services import PaymentMismatch, apply_payment, start_payment

pytestmark = pytest.mark.django_db


def test_a_percentage_coupon_lowers_the_charge(coupon):
    product = make_product(keys=3, price=Decimal("9.99"))

    order = place_order(product, quantity=2, email="b@example.com", coupon_code=" save10 ")

    assert (order.subtotal, order.discount, order.amount) == (Decimal("19.98"), Decimal("2.00"), Decimal("17.98"))
    assert order.coupon == coupon
    assert Redemption.objects.get(order=order).discount == Decimal("2.00")
    coupon.refresh_from_db()
    assert coupon.used_count == 1


def test_a_fixed_coupon_never_makes_an_order_free():
    product = make_product(keys=1, price=Decimal("5.00"))
    make_coupon("BIG", kind=CouponKind.FIXED, value=Decimal("50"), currency="CNY")

    order = place_order(product, quantity=1, email="b@example.com", coupon_code="BIG")

    assert (order.discount, order.amount) == (Decimal("4.99"), Decimal("0.01"))


def test_the_payment_must_match_the_discounted_amount(coupon):
    product = make_product(keys=1, price=Decimal("10.00"))
    order = place_order(product, quantity=1, email="b@example.com", coupon_code="SAVE10")
    start_payment(order, "epay")
    payment = order.payments.get()

    with pytest.raises(PaymentMismatch):
        apply_payment(payment.pk, trade_no="T-FULL", amount=Decimal("10.00"), currency="CNY", source="notify", actor="t")

    result = apply_payment(payment.pk, trade_no="T-DISC", amount=Decimal("9.00"), currency="CNY", source="notify", actor="t")
    assert result.applied is True
