"""Two buyers race for the last use of a coupon on PostgreSQL: exactly one gets it."""

import threading

import pytest
from django.db import connection

from yongxu.conftest import make_product
from yongxu.coupons.models import Coupon, Redemption
from yongxu.coupons.services import CouponRefused
from yongxu.coupons.tests.conftest import make_coupon
from yongxu.orders.models import Order
from yongxu.orders.services import place_order

RACERS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_only_one_buyer_gets_the_last_use():
    make_coupon("LASTONE", total_uses=1)
    product = make_product(keys=RACERS)
    start = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def buyer(n: int) -> None:
        start.wait(timeout=30)
        try:
            place_order(product, quantity=1, email=f"racer{n}@example.com", coupon_code="LASTONE")
            outcomes.append("won")
        except CouponRefused as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["coupon_used_up"] * (RACERS - 1) + ["won"]
    assert Coupon.objects.get(code="LASTONE").used_count == 1
    assert Redemption.objects.count() == 1
    assert Order.objects.count() == 1
