"""The merchant's dashboard figures: today's orders and revenue, stock by product, what needs attention."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from yongxu.catalog.models import Product
from yongxu.core import clock
from yongxu.core.money import quantize
from yongxu.inventory.services import stock_counts
from yongxu.ops.models import Alert
from yongxu.orders.models import PAID_STATUSES, Order, OrderStatus
from yongxu.payments.models import Refund, RefundStatus

#: refunds that gave money back: through the gateway, or recorded as paid back by hand
GIVEN_BACK = [RefundStatus.SUCCEEDED, RefundStatus.MANUAL]


def figures() -> dict:
    today = timezone.localtime(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    placed_today = Order.objects.filter(created_at__gte=today)
    paid_today = Order.objects.filter(paid_at__gte=today, status__in=PAID_STATUSES)
    revenue = _revenue(paid_today, since=today)
    products = list(Product.objects.select_related("category").order_by("category__sort_order", "sort_order"))
    counts = stock_counts(products)
    stock = [{"product": p, "available": counts.get(p.pk, 0) if p.uses_key_stock else None,
              "low": p.uses_key_stock and counts.get(p.pk, 0) < p.low_stock_threshold} for p in products]
    return {
        "orders_today": placed_today.count(),
        "paid_today": paid_today.count(),
        "revenue": revenue,
        "refunds": [row for row in revenue if row["refunds"]],
        "stock": stock,
        "attention": list(Order.objects.filter(status__in=[OrderStatus.ATTENTION, OrderStatus.PAID])
                          .select_related("product").order_by("paid_at")[:50]),
        "alerts": list(Alert.objects.filter(resolved_at__isnull=True)[:30]),
    }


def _revenue(paid_today, *, since) -> list[dict]:
    """Per currency: orders paid today (``gross``, ``n``), less the refunds made today (``refunded``,
    ``refunds``), whatever day their order was paid on; ``total`` is what is left."""
    zero = Decimal("0")
    rows: dict[str, dict] = {}
    paid = paid_today.values("currency").annotate(total=Sum("amount"), n=Count("id"))
    refunded = (Refund.objects.filter(created_at__gte=since, status__in=GIVEN_BACK).values("currency")
                .annotate(total=Sum("amount"), n=Count("id")))
    for row in paid:
        rows.setdefault(row["currency"], {"gross": zero, "n": 0, "refunded": zero, "refunds": 0})
        rows[row["currency"]].update(gross=row["total"], n=row["n"])
    for row in refunded:
        rows.setdefault(row["currency"], {"gross": zero, "n": 0, "refunded": zero, "refunds": 0})
        rows[row["currency"]].update(refunded=row["total"], refunds=row["n"])
    for row in rows.values():  # SQLite sums decimals as floats: 19.9800000000000
        row["gross"], row["refunded"] = quantize(Decimal(row["gross"])), quantize(Decimal(row["refunded"]))
        row["total"] = row["gross"] - row["refunded"]
    return [{"currency": currency, **rows[currency]} for currency in sorted(rows)]
