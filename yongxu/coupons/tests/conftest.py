from datetime import timedelta
from decimal import Decimal

import pytest

from yongxu.core import clock
from yongxu.coupons.models import Coupon, CouponKind


def make_coupon(code: str = "SAVE10", **fields) -> Coupon:
    return Coupon.objects.create(**{"code": code, "kind": CouponKind.PERCENT, "value": Decimal("10"), **fields})


@pytest.fixture
def coupon(db) -> Coupon:
    return make_coupon(valid_until=clock.now() + timedelta(days=30))
