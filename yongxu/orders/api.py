from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.http import Http404
from ninja import Field, Header, Router, Schema, Status
from pydantic import BeforeValidator

from yongxu.catalog.models import Product
from yongxu.core.apierrors import errors
from yongxu.core.http import client_ip
from yongxu.core.ratelimit import hit
from yongxu.limits import pow
from yongxu.orders import services
from yongxu.orders.errors import QueryPasswordInUrl, WrongQueryPassword
from yongxu.orders.models import Order
from yongxu.payments.services import start_payment

router = Router(tags=["orders"])


def _whole_number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


class OrderIn(Schema):
    product: str = Field(description="The product's slug")
    # JSON true or "2" is not a quantity; 2.0 is (JSON Schema's integers include it)
    quantity: Annotated[int, BeforeValidator(_whole_number)] = Field(ge=1, le=100000, strict=True)
    email: str = Field(max_length=254)
    query_password: str = Field("", max_length=128)


class OrderOut(Schema):
    number: str
    token: str
    status: str
    product: str
    quantity: int
    amount: Decimal
    currency: str
    created_at: datetime
    expires_at: datetime
    paid_at: datetime | None
    delivered_at: datetime | None
    order_url: str
    items: list[str] | None = Field(None, description="Delivered keys; absent while locked by a query password")


class PaymentIn(Schema):
    provider: str


class PaymentOut(Schema):
    redirect_url: str


class LookupIn(Schema):
    email: str = Field(max_length=254)
    number: str = Field("", max_length=40)
    query_password: str = Field("", max_length=128)


class LookupOut(Schema):
    number: str
    token: str
    status: str
    product: str
    created_at: datetime


def _out(order: Order, *, with_items: bool) -> OrderOut:
    return OrderOut(number=order.number, token=order.token, status=order.status, product=order.product_name,
                    quantity=order.quantity, amount=order.amount, currency=order.currency,
                    created_at=order.created_at, expires_at=order.expires_at, paid_at=order.paid_at,
                    delivered_at=order.delivered_at, order_url=f"{settings.SITE_URL}/o/{order.token}/",
                    items=services.delivered_items(order) if with_items else None)


@router.post("/orders", response={201: OrderOut, **errors(403, 404, 409, 422, 429)})
def create_order(request, payload: OrderIn):
    """Place an order. Past the shop's limits the answer is 429 with ``Retry-After``; when it is
    ``proof_of_work_required``, the body's ``proof_of_work`` holds a challenge: send the same request
    again with its answer in the ``X-Proof-Of-Work`` header."""
    product = Product.objects.filter(slug=payload.product).select_related("category").first()
    if product is None:
        raise services.ProductUnavailable()
    order = services.place_order(product, quantity=payload.quantity, email=payload.email,
                                 query_password=payload.query_password, client_ip=client_ip(request),
                                 proof=request.headers.get(pow.HEADER, ""))
    return Status(201, _out(order, with_items=False))


def _order(token: str) -> Order:
    order = Order.objects.filter(token=token).first()
    if order is None:
        raise Http404
    return order


@router.get("/orders/{token}", response={200: OrderOut, **errors(400, 404, 422, 429)})
def get_order(request, token: str, password: str = Header("", alias="X-Query-Password", max_length=128)):
    """The order behind its secret token. Keys are included once delivered, and only with the query
    password when the order has one, sent in the ``X-Query-Password`` header (never in the URL, which
    access logs and browser histories keep: ``?query_password=`` is refused)."""
    if "query_password" in request.GET:
        raise QueryPasswordInUrl()
    order = _order(token)
    with_items = True
    if order.has_query_password:
        try:
            hit(f"unlock:{client_ip(request)}", limit=settings.YONGXU_LOOKUP_ATTEMPTS,
                window=settings.YONGXU_LOOKUP_WINDOW_SECONDS)
            services.check_query_password(order, password)
        except WrongQueryPassword:
            with_items = False
    return _out(order, with_items=with_items)


@router.post("/orders/{token}/payments", response={201: PaymentOut, **errors(403, 404, 409, 422, 502)})
def create_payment(request, token: str, payload: PaymentIn):
    start = start_payment(_order(token), payload.provider)
    return Status(201, PaymentOut(redirect_url=start.redirect_url))


@router.post("/lookup", response={200: list[LookupOut], **errors(403, 422, 429)})
def lookup(request, payload: LookupIn):
    hit(f"lookup:{client_ip(request)}", limit=settings.YONGXU_LOOKUP_ATTEMPTS,
        window=settings.YONGXU_LOOKUP_WINDOW_SECONDS)
    return [LookupOut(number=o.number, token=o.token, status=o.status, product=o.product_name, created_at=o.created_at)
            for o in services.find_orders(email=payload.email, number=payload.number,
                                          query_password=payload.query_password)]
