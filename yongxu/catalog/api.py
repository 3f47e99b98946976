from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema

from yongxu.catalog import services
from yongxu.core.apierrors import errors

router = Router(tags=["products"])


class ProductOut(Schema):
    slug: str
    name: str
    category: str
    description: str
    price: Decimal
    currency: str
    min_quantity: int
    max_quantity: int
    delivery_mode: str
    stock: int | None
    sold_out: bool


def _out(item: services.Listing) -> ProductOut:
    product = item.product
    return ProductOut(slug=product.slug, name=product.name, category=product.category.name,
                      description=product.description, price=product.price, currency=product.currency,
                      min_quantity=product.min_quantity, max_quantity=product.max_quantity,
                      delivery_mode=product.delivery_mode, stock=item.stock, sold_out=item.sold_out)


@router.get("", response={200: list[ProductOut], **errors()})
def list_products(request):
    return [_out(item) for _, items in services.shop_window() for item in items]


@router.get("/{slug}", response={200: ProductOut, **errors(404)})
def get_product(request, slug: str):
    item = services.listing(slug)
    if item is None:
        raise Http404
    return _out(item)
