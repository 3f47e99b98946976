from django.http import Http404
from django.shortcuts import render

from yongxu.catalog import services
from yongxu.core.errors import DomainError
from yongxu.core.numbers import parse_int
from yongxu.coupons import services as coupons
from yongxu.payments.registry import available_providers


def home(request):
    shelves, as_of = services.shop_window_as_of()
    return render(request, "catalog/home.html", {"shelves": shelves, "stock_as_of": as_of})


def quote_context(product, quantity_text: str, code: str, email: str) -> dict:
    """The price breakdown for what the buyer typed; a refused coupon is said, not raised."""
    quantity = parse_int(quantity_text, max_digits=6)
    quantity = product.min_quantity if quantity is None else quantity
    context = {"quantity": quantity}
    try:
        context["quote"] = coupons.quote(product, quantity, (code or "")[:40], email=(email or "")[:254])
    except DomainError as error:
        context["quote"] = coupons.quote(product, quantity)
        context["coupon_error"] = error.message
    return context


def price_quote(request, slug: str):
    """htmx: the exact amount for a quantity and a coupon, before anything is ordered."""
    item = services.listing(slug)
    if item is None:
        raise Http404("No such product")
    return render(request, "catalog/_quote.html", {"product": item.product, **quote_context(
        item.product, request.GET.get("quantity", ""), request.GET.get("coupon", ""), request.GET.get("email", ""))})


def product_detail(request, slug: str):
    item = services.listing(slug)
    if item is None:
        raise Http404("No such product")
    return render(request, "catalog/product.html", {
        "item": item, "product": item.product, "providers": available_providers(item.product.currency),
        "form": {"quantity": item.product.min_quantity},
        "quote": coupons.quote(item.product, item.product.min_quantity),
    })
