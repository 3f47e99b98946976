from django.http import Http404
from django.shortcuts import render

from yongxu.catalog import services
from yongxu.payments.registry import available_providers


def home(request):
    return render(request, "catalog/home.html", {"shelves": services.shop_window()})


def product_detail(request, slug: str):
    item = services.listing(slug)
    if item is None:
        raise Http404("No such product")
    return render(request, "catalog/product.html", {
        "item": item, "product": item.product, "providers": available_providers(item.product.currency),
        "form": {"quantity": item.product.min_quantity},
    })
