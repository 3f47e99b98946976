"""Tickets and orders for tests, made through the real services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from yongxu.orders.models import Order
from yongxu.orders.services import place_order
from yongxu.payments.models import Payment
from yongxu.payments.services import apply_payment, start_payment
from yongxu.support import services
from yongxu.support.models import Ticket

BUYER = "buyer@example.com"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def paid_order(product, *, email: str = BUYER) -> Order:
    order = place_order(product, quantity=1, email=email)
    start_payment(order, "epay")
    payment = Payment.objects.filter(order=order).latest("pk")
    apply_payment(payment.pk, trade_no=f"T-{payment.reference}", amount=order.amount, currency=order.currency,
                  source="notify", actor="test")
    order.refresh_from_db()
    return order


def open_ticket(*, email: str = BUYER, subject: str = "Key does not work", body: str = "It says already used.",
                order: Order | None = None, **extra) -> Ticket:
    return services.open_ticket(subject=subject, body=body, email=email, order_number=order.number if order else "",
                                actor="test", **extra)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
