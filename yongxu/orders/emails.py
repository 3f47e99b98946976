"""The buyer's e-mails about an order, HTML and plain text, in the language of the order's shop."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from yongxu.core import clock
from yongxu.orders.models import Order, OrderStatus
from yongxu.orders.services import delivered_items

SUBJECTS = {
    "delivered": lambda order: _("Your order %(number)s: your keys") % {"number": order.number},
    "received": lambda order: _("Your order %(number)s is paid and being prepared") % {"number": order.number},
}


def order_url(order: Order) -> str:
    return f"{settings.SITE_URL}/o/{order.token}/"


def send_order_email(order_id: int, kind: str) -> None:
    order = Order.objects.select_related("product").get(pk=order_id)
    if kind == "delivered" and order.status != OrderStatus.DELIVERED:
        return
    # Keys go by e-mail only when no query password guards them; otherwise the link does.
    items = delivered_items(order) if kind == "delivered" and not order.has_query_password else []
    context = {"order": order, "items": items, "order_url": order_url(order), "shop_name": settings.YONGXU_SHOP_NAME,
               "guarded": order.has_query_password}
    message = EmailMultiAlternatives(
        subject=SUBJECTS[kind](order),
        body=render_to_string(f"orders/email/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[order.email])
    message.attach_alternative(render_to_string(f"orders/email/{kind}.html", context), "text/html")
    message.send()
    if kind == "delivered":
        Order.objects.filter(pk=order.pk).update(delivery_emailed_at=clock.now())
