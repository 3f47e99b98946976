"""Each reason a coupon is refused has its own code and message; a refused coupon places no order
and uses nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest

from yongxu.conftest import make_category, make_product
from yongxu.core import clock
from yongxu.coupons.models import Coupon
from yongxu.coupons.services import CouponRefused
from yongxu.coupons.tests.conftest import make_coupon
from yongxu.inventory.models import CardKey, KeyStatus
from yongxu.orders.models import Order
from yongxu.orders.services import place_order

pytestmark = pytest.mark.django_db


def _refusal(product, code, email="b@example.com", quantity=1) -> str:
    with pytest.raises(CouponRefused) as refused:
        place_order(product, quantity=quantity, email=email, coupon_code=code)
    return refused.value.code


def test_each_refusal_has_a_stable_code():
    product = make_product(keys=5, price=Decimal("10.00"))
    now = clock.now()
    make_coupon("OLD", valid_until=now - timedelta(minutes=1))
    make_coupon("LATER", valid_from=now + timedelta(days=1))
    make_coupon("MINE", for_email="owner@example.com")
    make_coupon("MIN50", min_amount=Decimal("50"))
    make_coupon("GONE", total_uses=0)
    make_coupon("OFF", active=False)
    other = make_coupon("OTHERCAT")
    other.categories.add(make_category())

    assert _refusal(product, "NOPE") == "coupon_unknown"
    assert _refusal(product, "OFF") == "coupon_unknown"
    assert _refusal(product, "OLD") == "coupon_expired"
    assert _refusal(product, "LATER") == "coupon_expired"
    assert _refusal(product, "MINE") == "coupon_not_yours"
    assert _refusal(product, "MIN50") == "coupon_minimum"
    assert _refusal(product, "GONE") == "coupon_used_up"
    assert _refusal(product, "OTHERCAT") == "coupon_not_applicable"
    assert Order.objects.count() == 0
    assert CardKey.objects.filter(status=KeyStatus.AVAILABLE).count() == 5


def test_uses_per_email_are_counted():
    product = make_product(keys=5)
    make_coupon("ONCE", uses_per_email=1)
    place_order(product, quantity=1, email="b@example.com", coupon_code="ONCE")

    assert _refusal(product, "ONCE", email="B@example.com") == "coupon_used_by_you"
    assert Coupon.objects.get(code="ONCE").used_count == 1
