import json

from django.db import models
from django.db.models import F, Q
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
    #: what the gateway is asked for: the order's amount plus ``fee``. Callbacks must match it exactly.
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    #: the gateway's fee passed on to the buyer (GatewaySettings), already included in ``amount``
    fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)
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


class GatewaySettings(models.Model):
    """The merchant's switches for one gateway (``name`` is a key of ``YONGXU_PAYMENT_PROVIDERS``),
    merged over the settings dict by the registry. Without a row a gateway runs on its settings alone.

    The fee is passed on to the buyer: shown before paying, kept on the Payment as ``fee`` and added to
    the Payment's ``amount`` (what the gateway is asked for). The order's own amount never includes it,
    since it depends on the gateway the buyer picks. The limits apply to that total.

    ``credentials`` is a Fernet token (``yongxu.inventory.crypto``) of a JSON object of setting
    overrides (keys, secrets, app ids); it is never shown back in clear."""

    name = models.CharField(max_length=30, unique=True)
    enabled = models.BooleanField(default=True, help_text=_(
        "Offered at checkout. Callbacks and queries of a disabled gateway are still applied."))
    display_name = models.CharField(max_length=60, blank=True, help_text=_("Shown to buyers; blank keeps the default."))
    sort_order = models.PositiveIntegerField(default=100, help_text=_("Lower comes first at checkout."))
    min_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                     help_text=_("Smallest total (fee included) this gateway takes."))
    max_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                     help_text=_("Largest total (fee included) this gateway takes."))
    fee_fixed = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    fee_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0,
                                      help_text=_("Percent of the order amount, e.g. 0.60."))
    credentials = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("gateway settings")
        verbose_name_plural = _("gateway settings")
        constraints = [
            models.CheckConstraint(condition=Q(fee_fixed__gte=0) & Q(fee_percent__gte=0) & Q(fee_percent__lt=100),
                                   name="gateway_fee_sane"),
            models.CheckConstraint(condition=Q(min_amount__isnull=True) | Q(max_amount__isnull=True)
                                   | Q(min_amount__lte=F("max_amount")), name="gateway_limits_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def set_credentials(self, values: dict) -> None:
        from yongxu.inventory.crypto import encrypt

        self.credentials = encrypt(json.dumps(values, sort_keys=True)) if values else ""

    def get_credentials(self) -> dict:
        from yongxu.inventory.crypto import decrypt

        return json.loads(decrypt(self.credentials)) if self.credentials else {}
