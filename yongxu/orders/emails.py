"""The buyer's e-mails about an order, in the buyer's language and the shop's brand."""

from django.conf import settings

from yongxu.core import clock
from yongxu.orders.models import Order, OrderStatus
from yongxu.orders.services import delivered_items
from yongxu.outbox.errors import Skip
from yongxu.shop.emails import send_email

KINDS = ("placed", "received", "delivered")


def order_url(order: Order) -> str:
    return f"{settings.SITE_URL}/o/{order.token}/"


def order_email_context(order: Order) -> dict:
    # Keys go by e-mail only when no query password guards them; otherwise the link does.
    guarded = order.has_query_password
    items = delivered_items(order) if order.status == OrderStatus.DELIVERED and not guarded else []
    return {"order": order, "items": items, "order_url": order_url(order), "guarded": guarded,
            "manual": order.product.delivery_mode == "manual"}


def handle_effect(effect) -> None:
    """The outbox's "orders.email": one e-mail about one order (payload: order id and kind)."""
    kind = effect.payload["kind"]
    if kind not in KINDS:
        raise ValueError(f"unknown order e-mail {kind!r}")
    order = Order.objects.select_related("product").filter(pk=effect.payload["order"]).first()
    if order is None:
        raise Skip("the order is gone")
    if kind == "delivered" and order.status != OrderStatus.DELIVERED:
        raise Skip("the order is not delivered")
    send_email(effect, f"orders/email/{kind}", order_email_context(order), to=[order.email], language=order.language)
    if kind == "delivered":
        Order.objects.filter(pk=order.pk).update(delivery_emailed_at=clock.now())
