from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Started")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class PaymentSource(models.TextChoices):
    NOTIFY = "notify", _("Gateway notification")
    QUERY = "query", _("Active query")
    RECONCILE = "reconcile", _("Reconciliation")
    MANUAL = "manual", _("Confirmed by staff")


class Payment(models.Model):
    """One attempt to pay an order through one provider. ``reference`` is what the gateway knows us by
    (Epay's out_trade_no); ``gateway_trade_no`` is what we know the gateway's transaction by."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=30)
    reference = models.CharField(max_length=40, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.CREATED)
    gateway_trade_no = models.CharField(max_length=100, null=True, blank=True)
    gateway_session = models.CharField(max_length=200, blank=True, help_text="e.g. Stripe's Checkout Session id")
    created_at = models.DateTimeField()
    succeeded_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=PaymentSource.choices, blank=True)
    last_queried_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    qr_payload = models.CharField(max_length=500, blank=True, help_text="what the buyer scans (QR gateways)")
    crypto_amount = models.DecimalField(max_digits=20, decimal_places=8, null=True, blank=True,
                                        help_text="the exact crypto amount to send, beside the shop-currency amount")
    crypto_currency = models.CharField(max_length=12, blank=True)
    crypto_address = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "gateway_trade_no"], condition=Q(gateway_trade_no__isnull=False),
                                    name="payment_trade_no_unique_per_provider"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.reference


class NotificationOutcome(models.TextChoices):
    RECEIVED = "received", _("Received, not yet handled")
    APPLIED = "applied", _("Applied")
    DUPLICATE = "duplicate", _("Duplicate (already applied)")
    IGNORED = "ignored", _("Ignored (not a payment, or not ours)")
    REJECTED = "rejected", _("Rejected (bad signature or amount)")
    FAILED = "failed", _("Failed on our side (gateway will retry)")


class PaymentNotification(models.Model):
    """A gateway callback exactly as it arrived, stored before anything else is done with it."""

    provider = models.CharField(max_length=30)
    received_at = models.DateTimeField()
    method = models.CharField(max_length=10)
    query_string = models.TextField(blank=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    remote_addr = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=NotificationOutcome.choices,
                               default=NotificationOutcome.RECEIVED)
    detail = models.CharField(max_length=300, blank=True)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="notifications")

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.provider} {self.received_at:%Y-%m-%d %H:%M:%S} {self.outcome}"


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SUCCEEDED = "succeeded", _("Refunded through the gateway")
    PROCESSING = "processing", _("Accepted by the gateway, processing")
    MANUAL = "manual", _("Recorded as a manual refund")
    FAILED = "failed", _("Refused by the gateway")


class Refund(models.Model):
    """Money given back for a payment, in full or in part. ``request_id`` is unique and is sent to the
    gateway as its idempotency key, so the same refund asked twice is made once."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    request_id = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=RefundStatus.choices, default=RefundStatus.REQUESTED)
    gateway_refund_id = models.CharField(max_length=100, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return self.request_id
