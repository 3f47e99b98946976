from datetime import timedelta
from decimal import Decimal

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.conftest import make_product
from yongxu.core import clock
from yongxu.coupons.services import CouponRefused, issue_coupons
from yongxu.orders.services import place_order

pytestmark = pytest.mark.django_db


def test_one_single_use_coupon_per_address_usable_only_by_it():
    coupons = issue_coupons(["a@example.com", "A@example.com ", "b@example.com", ""], kind="fixed",
                            value=Decimal("5"), valid_until=clock.now() + timedelta(days=7), actor="user:ops",
                            batch="sorry-2026-11")

    assert sorted(c.for_email for c in coupons) == ["a@example.com", "b@example.com"]
    assert len({c.code for c in coupons}) == 2
    assert AuditEntry.objects.filter(action="coupons.issued", data__batch="sorry-2026-11").count() == 1
    mine = next(c for c in coupons if c.for_email == "a@example.com")
    product = make_product(keys=3, price=Decimal("9.99"))
    with pytest.raises(CouponRefused):
        place_order(product, quantity=1, email="b@example.com", coupon_code=mine.code)
    order = place_order(product, quantity=1, email="a@example.com", coupon_code=mine.code)
    assert order.amount == Decimal("4.99")
    with pytest.raises(CouponRefused):
        place_order(product, quantity=1, email="a@example.com", coupon_code=mine.code)


def test_an_expiry_in_the_past_is_refused():
    with pytest.raises(CouponRefused):
        issue_coupons(["a@example.com"], kind="percent", value=Decimal("10"), valid_until=clock.now(), actor="t")
