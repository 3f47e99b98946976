import re

from django.conf import settings
from django.db import Error as DatabaseError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from yongxu.core import clock
from yongxu.core.http import client_ip
from yongxu.orders.models import OrderStatus
from yongxu.payments import spool
from yongxu.payments.models import Payment, PaymentStatus
from yongxu.payments.providers.base import IncomingNotification
from yongxu.payments.qr import qr_svg
from yongxu.payments.registry import UnknownProvider, get_provider
from yongxu.payments.services import query_payment, receive_notification

PHONE = re.compile(r"Mobile|Android|iPhone|iPad|MicroMessenger|AlipayClient", re.IGNORECASE)

KEPT_HEADERS = ("content-type", "user-agent", "stripe-signature", "x-forwarded-for",
                "wechatpay-signature", "wechatpay-timestamp", "wechatpay-nonce", "wechatpay-serial",
                "wechatpay-signature-type", "paypal-transmission-id", "paypal-transmission-time",
                "paypal-transmission-sig", "paypal-cert-url", "paypal-auth-algo")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def notify(request, provider: str):
    """Gateway callbacks, by GET or POST as real gateways send them. Never closed by maintenance; with the
    database away they are spooled to disk and answered 503 (the gateway retries too)."""
    if provider not in settings.YONGXU_PAYMENT_PROVIDERS:
        return HttpResponse("unknown provider", status=404, content_type="text/plain")
    body = request.body  # read first: multipart parsing may otherwise consume the stream
    params = {key: value for key, value in request.GET.items()}
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        params.update(request.POST.items())
    headers = {name: request.headers[name] for name in KEPT_HEADERS if name in request.headers}
    incoming = IncomingNotification(method=request.method, params=params, body=body,
                                    headers={k.lower(): v for k, v in headers.items()})
    try:
        gateway = get_provider(provider, enabled_only=False)
        handled = receive_notification(provider, incoming, remote_addr=client_ip(request))
    except UnknownProvider:
        return HttpResponse("unknown provider", status=404, content_type="text/plain")
    except DatabaseError:  # the database is away: keep it on disk, and let the gateway retry too
        spool.keep(provider, incoming, remote_addr=client_ip(request))
        return HttpResponse("temporarily unavailable, please retry", status=503, content_type="text/plain")
    if spool.waiting():  # the database is back: what came while it was away goes in now
        spool.replay(limit=20)
    # A refused (forged) callback is still answered "handled": a retry cannot make it authentic.
    if handled:
        return HttpResponse(gateway.ack_body, status=gateway.ack_status, content_type=gateway.ack_content_type)
    return HttpResponse(gateway.retry_body, status=gateway.retry_status, content_type=gateway.ack_content_type)


@require_GET
def pay_page(request, token: str, reference: str):
    """The QR pay page: the code, the amount, the time left, "open in the app" on phones. htmx polls it
    every few seconds; each poll also asks the gateway (throttled), and a paid order ends on its page."""
    payment = get_object_or_404(Payment.objects.select_related("order"), reference=reference, order__token=token)
    order = payment.order
    polling = bool(request.headers.get("HX-Request"))
    if polling and payment.status != PaymentStatus.SUCCEEDED and order.status == OrderStatus.PENDING:
        query_payment(payment)
        payment.refresh_from_db()
        order.refresh_from_db()
    if payment.status == PaymentStatus.SUCCEEDED or order.status != OrderStatus.PENDING or not payment.qr_payload:
        if polling:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"/o/{order.token}/"
            return response
        return redirect("order", token=order.token)
    seconds = max(int((order.expires_at - clock.now()).total_seconds()), 0)
    provider = get_provider(payment.provider, enabled_only=False)
    context = {"payment": payment, "order": order, "provider": provider, "minutes": seconds // 60,
               "seconds": seconds % 60, "qr": mark_safe(qr_svg(payment.qr_payload)),  # noqa: S308 - our own SVG
               "app_link": provider.app_link(payment) if PHONE.search(request.headers.get("User-Agent", "")) else ""}
    return render(request, "payments/_pay_status.html" if polling else "payments/pay.html", context)
