from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yongxu.catalog import services as catalog
from yongxu.catalog.views import quote_context
from yongxu.core.errors import DomainError
from yongxu.core.http import client_ip, error_page
from yongxu.core.numbers import parse_int
from yongxu.core.ratelimit import hit
from yongxu.orders import services
from yongxu.orders.errors import InvalidQuantity
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments import services as payments
from yongxu.payments.providers.base import GatewayError
from yongxu.payments.registry import available_providers

DEVICE_COOKIE = "yx_orders"
DEVICE_MAX = 20


def _remember_on_device(response, request, order: Order) -> None:
    tokens = device_tokens(request)
    tokens = [order.token, *[t for t in tokens if t != order.token]][:DEVICE_MAX]
    response.set_signed_cookie(DEVICE_COOKIE, ",".join(tokens), salt="orders", max_age=180 * 86400,
                               httponly=True, samesite="Lax", secure=request.is_secure())


def device_tokens(request) -> list[str]:
    """Order tokens remembered by this browser (the signed "orders on this device" cookie)."""
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, default="", salt="orders")
    except signing.BadSignature:
        return []
    return [token for token in value.split(",") if token]


@require_POST
def buy(request, slug: str):
    """Place an order and send the buyer to the gateway. On any refusal, the form comes back with
    what was typed and a plain statement that nothing was ordered or charged."""
    item = catalog.listing(slug)
    if item is None:
        raise Http404("No such product")
    form = {"quantity": request.POST.get("quantity", ""), "email": request.POST.get("email", ""),
            "provider": request.POST.get("provider", ""), "coupon": request.POST.get("coupon", "")[:40]}
    context = {"item": item, "product": item.product, "providers": available_providers(item.product.currency),
               "form": form, **quote_context(item.product, form["quantity"], form["coupon"], form["email"])}
    quantity = parse_int(form["quantity"], max_digits=6)
    try:
        if quantity is None:
            raise InvalidQuantity()
        order = services.place_order(item.product, quantity=quantity, email=form["email"],
                                     query_password=request.POST.get("query_password", ""),
                                     coupon_code=form["coupon"], client_ip=client_ip(request),
                                     proof=request.POST.get("pow", ""), user=request.user,
                                     language=request.LANGUAGE_CODE)
    except DomainError as error:
        # A proof-of-work challenge is solved by pow.js, which sends the form again by itself unless the
        # buyer has a query password to type again (it is never sent back in the page).
        context["retype_query_password"] = bool(request.POST.get("query_password"))
        return error_page(request, error, template="catalog/product.html", context=context)
    return _go_pay(request, order, form["provider"])


def _go_pay(request, order: Order, provider: str):
    try:
        start = payments.start_payment(order, provider or _default_provider(order))
    except (DomainError, GatewayError) as error:
        messages.error(request, _("The payment could not be started (%(why)s). Your order is kept: "
                                  "choose a payment method and try again.") % {"why": error})
        response = redirect("order", token=order.token)
    else:
        response = redirect(start.redirect_url)
    _remember_on_device(response, request, order)
    return response


def _default_provider(order: Order) -> str:
    providers = available_providers(order.currency, order.amount)
    return providers[0].name if providers else ""


def _unlocked(request, order: Order) -> bool:
    return not order.has_query_password or order.token in request.session.get("unlocked_orders", [])


def order_page(request, token: str):
    order = get_object_or_404(Order.objects.select_related("product"), token=token)
    unlocked = _unlocked(request, order)
    context = {"order": order, "unlocked": unlocked, "items": services.delivered_items(order) if unlocked else [],
               "providers": available_providers(order.currency, order.amount) if order.status == OrderStatus.PENDING else [],
               "waiting": order.status in (OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.ATTENTION)}
    template = "orders/_status.html" if request.headers.get("HX-Request") else "orders/order.html"
    response = render(request, template, context)
    _remember_on_device(response, request, order)
    return response


@require_POST
def pay(request, token: str):
    order = get_object_or_404(Order, token=token)
    return _go_pay(request, order, request.POST.get("provider", ""))


def payment_return(request, token: str):
    """The buyer is back from the gateway: ask the gateway at once rather than wait for its callback."""
    order = get_object_or_404(Order, token=token)
    if order.status in (OrderStatus.PENDING, OrderStatus.EXPIRED):
        if payments.query_order(order):
            messages.success(request, _("Payment received — delivering your order."))
        else:
            messages.info(request, _("We have not heard from the payment gateway yet. This page updates by "
                                     "itself; if you paid, your order will be delivered as soon as it confirms."))
    return redirect("order", token=order.token)


@require_POST
def unlock(request, token: str):
    order = get_object_or_404(Order, token=token)
    try:
        hit(f"unlock:{client_ip(request)}", limit=settings.YONGXU_LOOKUP_ATTEMPTS,
            window=settings.YONGXU_LOOKUP_WINDOW_SECONDS)
        services.check_query_password(order, request.POST.get("query_password", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("order", token=order.token)
    request.session["unlocked_orders"] = [*request.session.get("unlocked_orders", [])[-50:], order.token]
    return redirect("order", token=order.token)


@require_http_methods(["GET", "POST"])
def lookup(request):
    device_orders = list(Order.objects.filter(token__in=device_tokens(request)).order_by("-created_at"))
    context = {"device_orders": device_orders, "form": {}, "results": None}
    if request.method == "POST":
        form = {"email": request.POST.get("email", ""), "number": request.POST.get("number", "")}
        context["form"] = form
        try:
            hit(f"lookup:{client_ip(request)}", limit=settings.YONGXU_LOOKUP_ATTEMPTS,
                window=settings.YONGXU_LOOKUP_WINDOW_SECONDS)
        except DomainError as error:
            return error_page(request, error, template="orders/lookup.html", context=context)
        context["results"] = services.find_orders(email=form["email"], number=form["number"],
                                                  query_password=request.POST.get("query_password", ""))
    return render(request, "orders/lookup.html", context)
