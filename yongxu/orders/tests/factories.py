"""Orders for tests, made through the real services and paid through the real money path."""

from yongxu.orders.models import Order
from yongxu.orders.services import place_order
from yongxu.payments.models import Payment
from yongxu.payments.services import apply_payment, start_payment


def place(product, *, email: str = "buyer@example.com", quantity: int = 1, **fields) -> Order:
    return place_order(product, quantity=quantity, email=email, **fields)


def start(order: Order) -> Payment:
    """Open an Epay payment for the order, as the buy form does."""
    start_payment(order, "epay")
    return Payment.objects.filter(order=order).latest("pk")


def confirm(payment: Payment) -> Order:
    """The gateway's notification for the payment, applied as the notify view would apply it."""
    apply_payment(payment.pk, trade_no=f"T-{payment.reference}", amount=payment.amount, currency=payment.currency,
                  source="notify", actor="test")
    return Order.objects.get(pk=payment.order_id)


def pay(order: Order) -> Order:
    return confirm(start(order))
