"""Predictive maintenance on synthetic data with exact answers: keys running out (earlier before a
promotion), a payment gateway's failure and latency trend, the database against the disk."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from yongxu.conftest import make_product
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.models import Payment
from yongxu.planner import predictive, services
from yongxu.planner.forecast import Event
from yongxu.planner.models import DatabaseSize, Promotion

NOW = datetime(2024, 3, 4, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def test_stock_runs_out_at_the_demand_rate():
    assert predictive.stock_runout(10, 1.0, NOW) == pytest.approx(NOW + 10 * DAY, abs=timedelta(seconds=1))
    assert predictive.stock_runout(0, 1.0, NOW) == NOW
    assert predictive.stock_runout(10, 0.0, NOW) is None
    assert predictive.stock_runout(1000, 1.0, NOW, horizon=30 * DAY) is None


def test_a_promotion_brings_the_run_out_earlier():
    """1 key a day, doubled during days 2–5: 1 + 1 + 2 + 2 + 2 + 1 + 1 = 10 keys last 7 days, not 10."""
    promo = Event("Spring sale", NOW + 2 * DAY, NOW + 5 * DAY, 1.0)
    assert predictive.stock_runout(10, 1.0, NOW, [promo]) == pytest.approx(NOW + 7 * DAY, abs=timedelta(seconds=1))


def test_payment_failure_and_latency_trends():
    """Twenty attempts a day; 0, 1, 2, 3 failed (0 %, 5 %, 10 %, 15 %) → +5 % a day, 20 % tomorrow.
    Succeeded ones take 10, 20, 30, 40 s → +10 s a day, 60 s in two days."""
    rows = []
    for back, failed in zip((3, 2, 1, 0), (0, 1, 2, 3), strict=True):
        day = NOW - back * DAY
        for i in range(20):
            status = "failed" if i < failed else "succeeded"
            rows.append(("epay", day, status, day + timedelta(seconds=10 * (4 - back)) if status == "succeeded" else None))
        rows.append(("epay", day, "created", None))  # still open: not counted
    failures, latency = predictive.payment_alerts(rows, NOW)

    assert failures.current == pytest.approx(0.15) and failures.per_day == pytest.approx(0.05)
    assert failures.crosses_at == pytest.approx(NOW + DAY, abs=timedelta(seconds=1))
    assert [d["failed"] for d in failures.extra["days"]] == [0, 1, 2, 3]
    assert latency.current == pytest.approx(40) and latency.per_day == pytest.approx(10)
    assert latency.crosses_at == pytest.approx(NOW + 2 * DAY, abs=timedelta(seconds=1))


def test_a_gateway_getting_better_never_crosses():
    rows = [("stripe", NOW - back * DAY, "failed" if i < 1 + back else "succeeded", NOW) for back in range(3) for i in range(10)]
    failures = predictive.payment_alerts(rows, NOW)[0]
    assert failures.per_day < 0 and failures.crosses_at is None and "not on the current trend" in failures.message


def test_database_growth_against_the_free_disk():
    """100 MiB growing 10 MiB a day, 1 GiB + 200 MiB free, 1 GiB reserve → 20 days."""
    mib = 2**20
    samples = [(NOW - back * DAY, (100 - 10 * back) * mib) for back in range(5, -1, -1)]
    alert = predictive.disk_alert(samples, 1024 * mib + 200 * mib, NOW)
    assert alert.per_day == pytest.approx(10 * mib)
    assert alert.threshold == 300 * mib
    assert alert.crosses_at == pytest.approx(NOW + 20 * DAY, abs=timedelta(seconds=1))
    assert predictive.disk_alert(samples[-1:], 10 * mib, NOW).crosses_at == NOW  # already under the reserve


def _order(product, quantity: int, at: datetime) -> Order:
    return Order.objects.create(number=uuid.uuid4().hex[:20], token=uuid.uuid4().hex, product=product,
                                product_name=product.name, quantity=quantity, unit_price=Decimal("9.99"),
                                amount=Decimal("9.99") * quantity, currency="CNY", email="b@example.com",
                                status=OrderStatus.DELIVERED, created_at=at, expires_at=at + timedelta(minutes=30))


@pytest.mark.django_db
def test_warnings_command_from_the_shop_s_own_rows(settings):
    """28 keys sold over 28 days (1 a day), 10 left → out in 10 days; a gateway failing more each day."""
    from yongxu.core import clock

    now = clock.now()
    product = make_product(keys=10)
    make_product(keys=3)  # never sold: no warning
    for day in range(28):
        _order(product, 1, now - (day + 0.5) * DAY)
    order = _order(product, 1, now - 40 * DAY)
    for back, failed in ((2, 0), (1, 1), (0, 2)):
        for i in range(10):
            created = now - back * DAY - timedelta(hours=1)
            Payment.objects.create(order=order, provider="epay", reference=uuid.uuid4().hex[:30], amount=Decimal("9.99"),
                                   currency="CNY", created_at=created, status="failed" if i < failed else "succeeded",
                                   succeeded_at=None if i < failed else created + timedelta(seconds=5))
    DatabaseSize.objects.create(taken_at=now - 10 * DAY, db_bytes=1, free_bytes=10**12)

    out = StringIO()
    call_command("traffic", "warnings", "--json", stdout=out)
    alerts = {(a["kind"], a["subject"]): a for a in json.loads(out.getvalue())}

    stock = alerts[("stock", product.name)]
    assert stock["current"] == 10 and stock["per_day"] == 1.0 and stock["days_left"] == pytest.approx(10, abs=1e-3)
    assert stock["window"]["starts_at"] < stock["crosses_at"]
    assert len([a for a in alerts if a[0] == "stock"]) == 1
    failures = alerts[("payments-failures", "gateway epay")]
    assert failures["per_day"] == pytest.approx(0.1) and failures["current"] == pytest.approx(0.2)
    assert failures["crosses_at"] is not None and failures["days_left"] == 0  # 20 %: already at the threshold
    assert "act now" in failures["window_note"]
    assert DatabaseSize.objects.count() == 2 and ("disk", "database") in alerts

    out = StringIO()
    call_command("traffic", "warnings", stdout=out)
    expected = f"[stock] {product.name}: 10 keys left, selling 1.00 a day (last 28 days); threshold 0 keys in 10.0 days"
    assert expected in out.getvalue()
    assert "best window before then:" in out.getvalue() and "act now" in out.getvalue()

    Promotion.objects.create(name="Flash sale", starts_at=now + DAY, ends_at=now + 3 * DAY, expected_uplift=Decimal("1.00"))
    alerts = services.maintenance_warnings(record=False)
    stock = next(a for a in alerts if a.kind == "stock")
    assert stock.days_left == pytest.approx(8, abs=1e-3) and "faster during Flash sale" in stock.detail


def test_messages_say_when():
    alert = predictive.Alert(kind="stock", subject="Gift card", current=5, threshold=0, per_day=1, unit="keys",
                             crosses_at=NOW + 5 * DAY, now=NOW, detail="5 keys left")
    assert alert.message == "Gift card: 5 keys left; threshold 0 keys in 5.0 days (2024-03-09 12:00 UTC)"
