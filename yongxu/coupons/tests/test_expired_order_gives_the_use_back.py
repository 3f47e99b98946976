from datetime import timedelta

import pytest

from yongxu.conftest import make_product
from yongxu.coupons.models import Coupon, Redemption
from yongxu.coupons.tests.conftest import make_coupon
from yongxu.orders.services import expire_orders, place_order

pytestmark = pytest.mark.django_db


def test_an_unpaid_order_releases_its_coupon_when_it_expires(time_machine):
    make_coupon("LAST", total_uses=1)
    product = make_product(keys=2)
    order = place_order(product, quantity=1, email="a@example.com", coupon_code="LAST")
    assert Coupon.objects.get(code="LAST").used_count == 1

    time_machine.move_to(order.expires_at + timedelta(seconds=1))
    expire_orders()

    assert Coupon.objects.get(code="LAST").used_count == 0
    assert Redemption.objects.get(order=order).released_at is not None
    second = place_order(product, quantity=1, email="b@example.com", coupon_code="LAST")
    assert second.coupon.code == "LAST"
