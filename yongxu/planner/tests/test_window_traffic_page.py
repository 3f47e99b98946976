"""A finished window's page: forecast against actual orders, during it and in the 24 h after it."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from yongxu.conftest import make_product
from yongxu.maintenance.models import MaintenanceWindow
from yongxu.orders.models import Order, OrderStatus
from yongxu.planner.models import TrafficBucket

pytestmark = pytest.mark.django_db
START = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)  # a Monday
SLOT = timedelta(minutes=15)


def paid_orders(product, moments):
    Order.objects.bulk_create([
        Order(number=uuid.uuid4().hex[:20], token=uuid.uuid4().hex, product=product, product_name=product.name, quantity=1,
              unit_price=Decimal("1.00"), amount=Decimal("1.00"), currency="CNY", email="b@example.com",
              status=OrderStatus.DELIVERED, created_at=at, expires_at=at + timedelta(minutes=30)) for at in moments])


def window(**fields) -> MaintenanceWindow:
    return MaintenanceWindow.objects.create(**{
        "title": "Upgrade", "planned_start": START, "planned_end": START + timedelta(hours=2),
        "eta": START + timedelta(hours=2), "created_by": "test", **fields})


@time_machine.travel(START + timedelta(days=3), tick=False)
def test_lost_and_recaptured_orders_and_the_measured_recapture_rate(client, operator):
    """Four weeks of one order every 15 minutes → the forecast is 8 orders in the 2 h and 96 in the 24 h
    after. Nothing sold during the window; 96 + 5 sold after it: lost 8, recaptured 5, rate 0.625."""
    TrafficBucket.objects.bulk_create([
        TrafficBucket(source="shop", bucket=START - timedelta(weeks=4) + i * SLOT, country="", orders=1,
                      gmv=Decimal("1.00"), buyers=1) for i in range(4 * 672)])
    end = START + timedelta(hours=2)
    paid_orders(make_product(), [end + i * SLOT + timedelta(minutes=1) for i in range(96)]
                + [end + timedelta(seconds=5 * i) for i in range(5)])
    done = window(started_at=START, completed_at=end, phase="done")
    client.force_login(operator)

    page = client.get(f"/admin/advisor/window/{done.pk}/").content.decode()

    assert "<td>During the window</td><td>8.0</td><td>0</td>\n<td>lost 8.0</td>" in page
    assert "<td>24 h after reopening</td><td>96.0</td><td>101</td>\n<td>recaptured 5.0</td>" in page
    assert "<strong>0.625</strong>" in page  # 5 / 8


def test_a_window_not_over_yet_says_so(client, operator):
    client.force_login(operator)
    page = client.get(f"/admin/advisor/window/{window().pk}/").content.decode()
    assert "the window is not over yet" in page
    assert client.get("/admin/advisor/window/999999/").status_code == 404
