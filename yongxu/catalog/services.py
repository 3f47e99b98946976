"""What the shop window shows: visible products with their stock."""

from dataclasses import dataclass

from yongxu.catalog.models import Category, Product
from yongxu.inventory.services import stock_counts


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
    products = list(Product.objects.filter(visible=True, category__visible=True).select_related("category"))
    counts = stock_counts(products)
    shelves: dict[int, tuple[Category, list[Listing]]] = {}
    for product in products:
        shelves.setdefault(product.category_id, (product.category, []))[1].append(Listing(product, _stock(product, counts)))
    return sorted(shelves.values(), key=lambda shelf: (shelf[0].sort_order, shelf[0].name))


def listing(slug: str) -> Listing | None:
    product = Product.objects.filter(slug=slug, visible=True, category__visible=True).select_related("category").first()
    if product is None:
        return None
    return Listing(product, _stock(product, stock_counts([product])))
