"""The merchant's dashboard figures: today's orders and revenue, stock by product, what needs attention."""

from django.db.models import Count, Sum
from django.utils import timezone

from yongxu.catalog.models import Product
from yongxu.core import clock
from yongxu.core.money import quantize
from yongxu.inventory.services import stock_counts
from yongxu.ops.models import Alert
from yongxu.orders.models import PAID_STATUSES, Order, OrderStatus


def figures() -> dict:
    today = timezone.localtime(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    placed_today = Order.objects.filter(created_at__gte=today)
    paid_today = Order.objects.filter(paid_at__gte=today, status__in=PAID_STATUSES)
    revenue = list(paid_today.values("currency").annotate(total=Sum("amount"), n=Count("id")).order_by("currency"))
    for row in revenue:  # SQLite sums decimals as floats: 19.9800000000000
        row["total"] = quantize(row["total"])
    products = list(Product.objects.select_related("category").order_by("category__sort_order", "sort_order"))
    counts = stock_counts(products)
    stock = [{"product": p, "available": counts.get(p.pk, 0) if p.uses_key_stock else None,
              "low": p.uses_key_stock and counts.get(p.pk, 0) < p.low_stock_threshold} for p in products]
    return {
        "orders_today": placed_today.count(),
        "paid_today": paid_today.count(),
        "revenue": revenue,
        "stock": stock,
        "attention": list(Order.objects.filter(status__in=[OrderStatus.ATTENTION, OrderStatus.PAID])
                          .select_related("product").order_by("paid_at")[:50]),
        "alerts": list(Alert.objects.filter(resolved_at__isnull=True)[:30]),
    }
