"""The buyer's refund e-mail, in the buyer's language and the shop's brand."""

from yongxu.orders.emails import order_url
from yongxu.outbox.errors import Skip
from yongxu.payments.models import Refund
from yongxu.shop.emails import send_email


def handle_effect(effect) -> None:
    """The outbox's "payments.refund_email" (payload: refund id)."""
    refund = Refund.objects.select_related("payment__order").filter(pk=effect.payload["refund"]).first()
    if refund is None:
        raise Skip("the refund is gone")
    order = refund.payment.order
    send_email(effect, "payments/email/refund", {"order": order, "refund": refund, "order_url": order_url(order)},
               to=[order.email], language=order.language)
