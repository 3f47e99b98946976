"""The money path: start a payment, take a gateway's callback, apply a payment exactly once, actively
query the gateway, reconcile, and let staff confirm a payment by hand through the same apply path."""

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from yongxu.audit.services import record
from yongxu.core import clock
from yongxu.core.errors import DomainError
from yongxu.core.money import quantize
from yongxu.ops.models import AlertKind
from yongxu.ops.services import raise_alert
from yongxu.orders.models import Order, OrderStatus
from yongxu.orders.services import settle_order
from yongxu.outbox import services as outbox
from yongxu.payments.models import (
    NotificationOutcome,
    Payment,
    PaymentNotification,
    PaymentSource,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from yongxu.payments.providers.base import GatewayError, IncomingNotification, InvalidNotification, PaymentStart
from yongxu.payments.registry import gateway_open, get_provider

log = logging.getLogger(__name__)
QUERY_MIN_INTERVAL = timedelta(seconds=3)


class PaymentError(DomainError):
    code = "payment_error"


class PaymentMismatch(PaymentError):
    """The gateway says it was paid, but not what we asked for (amount, currency, trade)."""

    code = "payment_mismatch"
    status = 409


class CannotPay(PaymentError):
    code = "cannot_pay"
    status = 409
    message = _("This order cannot be paid now.")


@dataclass(frozen=True)
class ApplyResult:
    payment: Payment
    applied: bool  # False: it had been applied before, nothing changed


def _new_reference(order: Order) -> str:
    return f"{order.number}-{Payment.objects.filter(order=order).count() + 1:02d}"


def start_payment(order: Order, provider_name: str, *, actor=None) -> PaymentStart:
    """Open a payment attempt for an unpaid order and return where the buyer goes to pay. Refuses a
    gateway the merchant switched off (UnknownProvider), one closed by its capability, or one whose
    limits do not take the order's total; the gateway's fee (GatewaySettings) is added to what it is
    asked for and kept as Payment.fee."""
    provider = get_provider(provider_name)
    if order.status != OrderStatus.PENDING or order.expires_at <= clock.now():
        raise CannotPay()
    if not provider.supports(order.currency):
        raise CannotPay(_("This payment method does not take this currency."), code="currency_not_supported")
    if not gateway_open(provider_name):
        raise CannotPay(_("This payment method is paused right now; please choose another."), code="gateway_closed")
    with transaction.atomic():
        # The order's row lock makes two attempts started at once (a double click) take different references.
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != OrderStatus.PENDING:
            raise CannotPay()
        if not provider.terms.takes(order.amount):
            raise CannotPay(_("This payment method does not take this amount; please choose another."),
                            code="amount_out_of_range")
        # The gateway's fee is passed on: the gateway is asked for the order's amount plus the fee, and a
        # callback must match that total exactly.
        fee = provider.terms.fee(order.amount)
        payment = Payment.objects.create(order=order, provider=provider_name, reference=_new_reference(order),
                                         amount=order.amount + fee, fee=fee, currency=order.currency,
                                         created_at=clock.now())
        record("payment.started", actor=actor or f"buyer:{order.email}", subject=payment,
               data={"order": order.number, "provider": provider_name, "amount": payment.amount, "fee": fee})
    site = settings.SITE_URL
    start = provider.start(payment, notify_url=f"{site}/pay/notify/{provider_name}/",
                           return_url=f"{site}/o/{order.token}/return/?ref={payment.reference}",
                           cancel_url=f"{site}/o/{order.token}/")
    details = {"gateway_session": start.gateway_session, "qr_payload": start.qr_payload,
               "crypto_amount": start.crypto_amount, "crypto_currency": start.crypto_currency,
               "crypto_address": start.crypto_address}
    details = {name: value for name, value in details.items() if value not in ("", None)}
    if details:
        Payment.objects.filter(pk=payment.pk).update(**details)
    if start.qr_payload:  # the buyer scans it on our own pay page, which polls for the outcome
        return replace(start, redirect_url=f"/o/{order.token}/pay/{payment.reference}/")
    return start


def apply_payment(payment_id: int, *, trade_no: str, amount: Decimal, currency: str, source: str,
                  actor) -> ApplyResult:
    """Apply a confirmed payment exactly once, under the payment's row lock.

    Re-applying the same trade changes nothing and returns applied=False. A different amount or
    currency, or a trade number already used by another payment, raises PaymentMismatch and changes
    nothing. On success the order is settled (delivered, or queued for stock/merchant) in the same
    transaction, so a crash anywhere rolls back the lot and the next callback or query retries."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status == PaymentStatus.SUCCEEDED:
            if trade_no and payment.gateway_trade_no and trade_no != payment.gateway_trade_no:
                raise PaymentMismatch(f"{payment.reference} was already paid by trade {payment.gateway_trade_no}, "
                                      f"not {trade_no}")
            return ApplyResult(payment, applied=False)
        if quantize(amount) != payment.amount or currency.upper() != payment.currency.upper():
            raise PaymentMismatch(f"{payment.reference}: paid {amount} {currency}, expected {payment.amount} "
                                  f"{payment.currency}")
        payment.status = PaymentStatus.SUCCEEDED
        payment.gateway_trade_no = trade_no or None
        payment.succeeded_at = clock.now()
        payment.source = source
        try:
            with transaction.atomic():
                payment.save(update_fields=["status", "gateway_trade_no", "succeeded_at", "source"])
        except IntegrityError as exc:
            raise PaymentMismatch(f"trade {trade_no} was already applied to another payment") from exc
        settle_order(payment.order, payment=payment, actor=actor)
        record("payment.applied", actor=actor, subject=payment,
               data={"trade_no": trade_no, "amount": amount, "currency": currency, "source": source})
    return ApplyResult(payment, applied=True)


def storable(text: str, limit: int | None = None) -> str:
    """Text as the database can keep it: capped, and with NUL (which PostgreSQL refuses) written out."""
    limit = limit or settings.YONGXU_NOTIFY_STORE_BYTES
    return text[:limit].replace("\x00", "\\x00")


def _set_outcome(notification: PaymentNotification, outcome: str, detail: str = "", payment=None, *,
                 keep_bytes: int | None = None) -> None:
    fields = {"outcome": outcome, "detail": storable(detail, 300), "payment": payment}
    if keep_bytes is not None:  # forged or not ours: keep enough to see what it was, not what it carried
        fields |= {"body": notification.body[:keep_bytes], "query_string": notification.query_string[:keep_bytes]}
    PaymentNotification.objects.filter(pk=notification.pk).update(**fields)


def prune_notifications(*, now=None) -> int:
    """Forget refused and ignored callbacks older than YONGXU_NOTIFY_RETENTION_DAYS (applied ones, and those
    of our own failures, are the money's history and stay)."""
    cutoff = (now or clock.now()) - timedelta(days=settings.YONGXU_NOTIFY_RETENTION_DAYS)
    deleted, _ = PaymentNotification.objects.filter(
        outcome__in=[NotificationOutcome.REJECTED, NotificationOutcome.IGNORED], received_at__lt=cutoff).delete()
    return deleted


def receive_notification(provider_name: str, incoming: IncomingNotification, *, remote_addr: str = "") -> bool:
    """Handle a gateway callback. Returns True when the gateway should stop sending it (applied,
    duplicate, not ours, or refused as forged), False when a retry could fix it (our own failure).

    The raw request is stored first, in its own transaction, so nothing a gateway sent is lost (within
    YONGXU_NOTIFY_STORE_BYTES: real callbacks are a few hundred bytes); what turns out forged or not ours
    keeps only its first kilobyte, and is pruned after YONGXU_NOTIFY_RETENTION_DAYS."""
    notification = PaymentNotification.objects.create(
        provider=provider_name, received_at=clock.now(), method=incoming.method,
        query_string=storable(urlencode(incoming.params) if incoming.method == "GET" else ""),
        body=storable(incoming.body.decode("utf-8", "replace")),
        headers={name: storable(value, 1000) for name, value in incoming.headers.items()},
        remote_addr=storable(remote_addr, 64))
    try:
        provider = get_provider(provider_name, enabled_only=False)
        verified = provider.verify_notification(incoming)
    except InvalidNotification as exc:
        _set_outcome(notification, NotificationOutcome.REJECTED, str(exc), keep_bytes=1024)
        # One alert per provider's forgeries, however many arrive (the count says how many).
        raise_alert(AlertKind.BAD_NOTIFICATION, f"Refused a {provider_name} notification from {remote_addr}: {exc}",
                    subject_ref=f"forged:{provider_name}")
        return True
    if not verified.paid:
        _set_outcome(notification, NotificationOutcome.IGNORED, "not a completed payment", keep_bytes=1024)
        return True
    payment = Payment.objects.filter(provider=provider_name, reference=verified.reference).first()
    if payment is None:
        _set_outcome(notification, NotificationOutcome.IGNORED, f"no payment {verified.reference!r} here",
                     keep_bytes=1024)
        return True
    try:
        result = apply_payment(payment.pk, trade_no=verified.trade_no, amount=verified.amount,
                               currency=verified.currency, source=PaymentSource.NOTIFY,
                               actor=f"gateway:{provider_name}")
    except PaymentMismatch as exc:
        _set_outcome(notification, NotificationOutcome.REJECTED, str(exc), payment)
        raise_alert(AlertKind.BAD_NOTIFICATION, f"Refused a {provider_name} notification: {exc}",
                    subject_ref=payment.reference)
        return True
    except Exception as exc:  # our own failure: keep the record, let the gateway retry
        log.exception("applying %s notification %s failed", provider_name, notification.pk)
        _set_outcome(notification, NotificationOutcome.FAILED, type(exc).__name__, payment)
        return False
    _set_outcome(notification, NotificationOutcome.APPLIED if result.applied else NotificationOutcome.DUPLICATE,
                 payment=payment)
    return True


def query_payment(payment: Payment, *, source: str = PaymentSource.QUERY, force: bool = False) -> bool:
    """Ask the gateway about one payment and apply it if paid. Returns True if it is (now) paid.
    Throttled per payment unless ``force``; gateway trouble is logged and reported as not paid."""
    if payment.status == PaymentStatus.SUCCEEDED:
        return True
    now = clock.now()
    if not force and payment.last_queried_at and now - payment.last_queried_at < QUERY_MIN_INTERVAL:
        return False
    Payment.objects.filter(pk=payment.pk).update(last_queried_at=now)
    try:
        answer = get_provider(payment.provider, enabled_only=False).query(payment)
    except GatewayError as exc:
        log.warning("query of %s failed: %s", payment.reference, exc)
        return False
    if not answer.paid:
        return False
    try:
        apply_payment(payment.pk, trade_no=answer.trade_no, amount=answer.amount if answer.amount is not None
                      else payment.amount, currency=answer.currency or payment.currency, source=source,
                      actor=f"system:{source}")
    except PaymentMismatch as exc:
        raise_alert(AlertKind.BAD_NOTIFICATION, f"Gateway query for {payment.reference}: {exc}",
                    subject_ref=payment.reference)
        return False
    return True


def query_order(order: Order) -> bool:
    """Active query for the buyer who came back from the gateway: try each open attempt."""
    attempts = Payment.objects.filter(order=order, status=PaymentStatus.CREATED).exclude(provider="manual")
    return any(query_payment(payment) for payment in attempts)


def reconcile(*, limit: int = 200) -> int:
    """对账/补单: query every attempt still open past a few minutes whose order is unpaid or expired
    recently, so a callback lost to a firewall or an outage still ends in delivery."""
    now = clock.now()
    expired_since = now - timedelta(hours=settings.YONGXU_RECONCILE_EXPIRED_HOURS)
    open_payments = (Payment.objects.filter(status=PaymentStatus.CREATED,
                                            created_at__lte=now - timedelta(minutes=settings.YONGXU_RECONCILE_AFTER_MINUTES),
                                            created_at__gte=expired_since)
                     .filter(Q(order__status=OrderStatus.PENDING)
                             | Q(order__status__in=[OrderStatus.EXPIRED, OrderStatus.CANCELLED]))
                     .exclude(provider="manual").select_related("order").order_by("created_at")[:limit])
    return sum(query_payment(payment, source=PaymentSource.RECONCILE, force=True) for payment in open_payments)


def confirm_payment_manually(order: Order, *, trade_no: str, reason: str, actor) -> ApplyResult:
    """人工确认支付: staff confirm money they can see at the gateway. Same apply path, so it can never
    deliver twice; the trade number must be new for the manual provider."""
    if not trade_no.strip() or not reason.strip():
        raise PaymentError(_("Give the gateway's trade number and a reason."), code="manual_confirm_incomplete")
    with transaction.atomic():
        # Check the stored order under its lock, not the caller's copy: two staff confirming at once, or
        # a copy read before a callback paid it, must end in "already paid", not in a second payment.
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.is_paid:
            raise CannotPay(_("This order is already paid."), code="already_paid")
        payment = Payment.objects.create(order=order, provider="manual", reference=_new_reference(order),
                                         amount=order.amount, currency=order.currency, created_at=clock.now(),
                                         note=reason.strip()[:300])
        result = apply_payment(payment.pk, trade_no=f"manual:{trade_no.strip()}", amount=order.amount,
                               currency=order.currency, source=PaymentSource.MANUAL, actor=actor)
        record("payment.manual_confirmation", actor=actor, subject=payment,
               data={"order": order.number, "trade_no": trade_no.strip(), "reason": reason.strip()})
    return result


class RefundError(PaymentError):
    code = "refund_error"
    status = 409


def refund_payment(payment: Payment, *, amount: Decimal, reason: str, actor, request_id: str = "") -> Refund:
    """Give back ``amount`` (all or part) of a succeeded payment: through the gateway's refund API where
    it has one, otherwise recorded as a manual refund the merchant pays back by hand.

    Idempotent by ``request_id`` (a new one is made when none is given): asking again returns the
    refund already made, and the id is the gateway's own idempotency key, so a retry after a timeout
    never pays twice. Refunds never exceed the payment: the total is checked under the payment's row
    lock. Audit-logged; the buyer is e-mailed once the refund is done or recorded."""
    amount = quantize(Decimal(amount))
    reason = reason.strip()
    if amount <= 0 or not reason:
        raise RefundError(_("Give an amount above zero and a reason."), code="refund_incomplete")
    request_id = (request_id or f"RF{payment.reference}-{secrets.token_hex(4)}")[:64]
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        existing = Refund.objects.filter(request_id=request_id).first()
        if existing and (existing.payment_id != locked.pk or existing.amount != amount):
            raise RefundError(_("This refund request id was used for another refund."), code="refund_id_reused")
        if existing and existing.status != RefundStatus.FAILED:
            return existing
        if locked.status != PaymentStatus.SUCCEEDED:
            raise RefundError(_("Only a succeeded payment can be refunded."), code="not_paid")
        # A failed attempt (also the one being retried) holds no money back.
        refunded = (Refund.objects.filter(payment=locked).exclude(status=RefundStatus.FAILED)
                    .aggregate(total=Sum("amount"))["total"] or Decimal("0"))
        if refunded + amount > locked.amount:
            raise RefundError(_("Refunds cannot exceed the payment (%(left)s left).") % {"left": locked.amount - refunded},
                              code="refund_exceeds_payment")
        refund = existing or Refund.objects.create(payment=locked, request_id=request_id, amount=amount,
                                                   currency=locked.currency, reason=reason[:300],
                                                   created_at=clock.now(), created_by=str(actor))
    return _ask_gateway(refund, locked, actor=actor)


def _ask_gateway(refund: Refund, payment: Payment, *, actor) -> Refund:
    """Send (or send again: the request id makes it the same refund at the gateway) a refund request, and
    record the answer. A gateway that did not answer leaves the refund "requested", for follow_up_refunds()."""
    provider = get_provider(payment.provider, enabled_only=False) if payment.provider != "manual" else None
    status, gateway_id = RefundStatus.MANUAL, ""
    if provider is not None and provider.can_refund:
        try:
            result = provider.refund(payment, amount=refund.amount, request_id=refund.request_id, reason=refund.reason)
        except GatewayError as exc:
            if exc.retryable:  # it may have been made: never call it failed; ask again with the same id later
                Refund.objects.filter(pk=refund.pk).update(detail=f"no answer yet: {exc}"[:300])
                raise RefundError(_("The gateway did not answer; the refund will be asked for again automatically."),
                                  code="refund_pending") from exc
            Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.FAILED, detail=str(exc)[:300])
            record("payment.refund_failed", actor=actor, subject=payment,
                   data={"request_id": refund.request_id, "amount": refund.amount, "error": str(exc)[:300]})
            raise RefundError(_("The gateway refused the refund: %(why)s") % {"why": exc}, code="refund_refused") from exc
        status = RefundStatus.SUCCEEDED if result.done else RefundStatus.PROCESSING
        gateway_id = result.refund_id
    with transaction.atomic():
        Refund.objects.filter(pk=refund.pk).update(status=status, gateway_refund_id=gateway_id[:100], detail="")
        record("payment.refunded", actor=actor, subject=payment,
               data={"order": payment.order.number, "request_id": refund.request_id, "amount": refund.amount,
                     "status": status, "gateway_refund_id": gateway_id, "reason": refund.reason})
        outbox.add("payments.refund_email", key=f"refund:{refund.pk}", payload={"refund": refund.pk},
                   subject=f"order:{payment.order.number}")
    refund.refresh_from_db()
    return refund


def follow_up_refunds(*, older_than: timedelta = timedelta(minutes=2), limit: int = 100) -> int:
    """Refunds left "requested" (the gateway did not answer, or the process died after asking) or still
    "processing" are asked about again with their own request id — the gateway's idempotency key, so asking
    again never refunds twice. Returns how many reached an outcome."""
    settled = 0
    due = (Refund.objects.filter(status__in=[RefundStatus.REQUESTED, RefundStatus.PROCESSING],
                                 created_at__lte=clock.now() - older_than)
           .select_related("payment__order").order_by("created_at")[:limit])
    for refund in due:
        try:
            after = _ask_gateway(refund, refund.payment, actor="system:refund-follow-up")
        except RefundError as error:
            log.warning("refund %s: %s", refund.request_id, error.message)
            continue
        settled += after.status in (RefundStatus.SUCCEEDED, RefundStatus.MANUAL)
    return settled
