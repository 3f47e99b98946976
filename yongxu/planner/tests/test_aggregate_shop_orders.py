from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from yongxu.conftest import make_product
from yongxu.orders.models import Order
from yongxu.planner.models import TrafficBucket

pytestmark = pytest.mark.django_db


def order(product, *, at, amount, email, status):
    n = Order.objects.count() + 1
    return Order.objects.create(number=f"T{n}", token=f"token-{n}", product=product, product_name=product.name, quantity=1,
                                unit_price=Decimal(amount), amount=Decimal(amount), currency="CNY", email=email, status=status,
                                created_at=at, expires_at=at + timedelta(minutes=30))


def test_paid_orders_become_buckets_and_a_rerun_changes_nothing():
    product = make_product()
    order(product, at=datetime(2024, 5, 1, 9, 1, tzinfo=UTC), amount="10.00", email="a@example.com", status="paid")
    order(product, at=datetime(2024, 5, 1, 9, 14, tzinfo=UTC), amount="5.50", email="b@example.com", status="delivered")
    order(product, at=datetime(2024, 5, 1, 9, 5, tzinfo=UTC), amount="99.00", email="c@example.com", status="pending")

    call_command("traffic", "aggregate", stdout=StringIO())
    call_command("traffic", "aggregate", stdout=StringIO())

    assert list(TrafficBucket.objects.values_list("source", "bucket", "country", "orders", "gmv", "buyers")) == [
        ("shop", datetime(2024, 5, 1, 9, 0, tzinfo=UTC), "", 2, Decimal("15.50"), 2)]
