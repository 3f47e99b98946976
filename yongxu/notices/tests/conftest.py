"""Notices helpers: the maintenance sandbox (own var/, Huey in process), a frozen clock, buyers who
ordered, and windows scheduled through the real service."""

from datetime import timedelta
from decimal import Decimal

from yongxu.conftest import make_product
from yongxu.core import clock
from yongxu.maintenance import windows
from yongxu.maintenance.tests.conftest import (  # noqa: F401 - fixtures shared with the maintenance tests
    NOW,
    OPERATOR,
    committed,
    frozen,
    maintenance_sandbox,
)
from yongxu.orders.models import Order

_numbers = iter(range(1, 10**6))


def buyer_ordered(email: str, *, language: str = "en", days_ago: float = 1, status: str = "delivered") -> Order:
    n = next(_numbers)
    product = make_product()
    created = clock.now() - timedelta(days=days_ago)
    return Order.objects.create(number=f"T{n:08d}", token=f"token-{n}", product=product, product_name=product.name,
                                quantity=1, unit_price=Decimal("9.99"), amount=Decimal("9.99"), currency="CNY",
                                email=email, status=status, created_at=created, expires_at=created + timedelta(minutes=15),
                                language=language)


def schedule(*, starts_in: timedelta, lasts: timedelta = timedelta(hours=2), level: str = "readonly", **options):
    start = clock.now() + starts_in
    return windows.schedule_window(title=options.pop("title", "Database upgrade"), start=start, end=start + lasts,
                                   level=level, actor=OPERATOR, **options)


def deliver(clock_machine, *, after: timedelta = timedelta(minutes=1)) -> int:
    """What the worker's outbox dispatcher does over the next minute: send every effect that came due
    (advance notices are staggered by the rate limit)."""
    from yongxu.outbox import services as outbox

    clock_machine.shift(after)
    return outbox.drain(limit=10_000)
