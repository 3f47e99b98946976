"""What the shop window shows: visible products with their stock."""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache

from yongxu.catalog.models import Category, Product
from yongxu.core import clock
from yongxu.inventory.services import stock_counts

SNAPSHOT_KEY = "catalog:stock-snapshot"


def refresh_stock_snapshot() -> dict[int, int]:
    """The synchronisation job: stock of every product, kept for pages to show while sync is paused."""
    counts = stock_counts(Product.objects.all())
    cache.set(SNAPSHOT_KEY, {"counts": counts, "taken_at": clock.now()}, None)
    return counts


def stock_for_display(products) -> tuple[dict[int, int], datetime | None]:
    """Live stock, or — while background synchronisation is paused (level ``sync``) — the last
    snapshot and when it was taken, so pages can say "last updated N minutes ago"."""
    from yongxu.maintenance.snapshot import current_state

    if current_state().sync_paused:
        snapshot = cache.get(SNAPSHOT_KEY)
        if snapshot is not None:
            return snapshot["counts"], snapshot["taken_at"]
    return stock_counts(products), None


@dataclass(frozen=True)
class Listing:
    product: Product
    stock: int | None  # None: not counted (manual delivery or a reusable key)

    @property
    def sold_out(self) -> bool:
        return self.stock is not None and self.stock < self.product.min_quantity


def _stock(product: Product, counts: dict[int, int]) -> int | None:
    return counts.get(product.pk, 0) if product.uses_key_stock else None


def shop_window() -> list[tuple[Category, list[Listing]]]:
    return shop_window_as_of()[0]


def shop_window_as_of() -> tuple[list[tuple[Category, list[Listing]]], datetime | None]:
    """The shelves, and when their stock figures were taken (None: live)."""
    products = list(Product.objects.filter(visible=True, category__visible=True).select_related("category"))
    counts, as_of = stock_for_display(products)
    shelves: dict[int, tuple[Category, list[Listing]]] = {}
    for product in products:
        shelves.setdefault(product.category_id, (product.category, []))[1].append(Listing(product, _stock(product, counts)))
    return sorted(shelves.values(), key=lambda shelf: (shelf[0].sort_order, shelf[0].name)), as_of


def listing(slug: str) -> Listing | None:
    product = Product.objects.filter(slug=slug, visible=True, category__visible=True).select_related("category").first()
    if product is None:
        return None
    return Listing(product, _stock(product, stock_counts([product])))
