from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    EXPIRED = "expired", _("Expired (not paid in time)")
    CANCELLED = "cancelled", _("Cancelled")
    PAID = "paid", _("Paid, being fulfilled")
    ATTENTION = "attention", _("Paid — needs attention")
    DELIVERED = "delivered", _("Delivered")


S = OrderStatus
# The only legal moves. A late payment may revive an expired or cancelled order: money is never dropped.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.PAID, S.EXPIRED, S.CANCELLED}),
    S.EXPIRED: frozenset({S.PAID}),
    S.CANCELLED: frozenset({S.PAID}),
    S.PAID: frozenset({S.DELIVERED, S.ATTENTION}),
    S.ATTENTION: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
}
PAID_STATUSES = frozenset({S.PAID, S.ATTENTION, S.DELIVERED})
LIVE_STATUSES = frozenset({S.PENDING}) | PAID_STATUSES


class Order(models.Model):
    number = models.CharField(max_length=24, unique=True)
    token = models.CharField(max_length=64, unique=True, help_text="The secret of the order page's link.")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="orders")
    product_name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    subtotal = models.DecimalField(max_digits=12, decimal_places=2, default=0, help_text="Before the discount.")
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    coupon = models.ForeignKey("coupons.Coupon", null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="What the payment must match.")
    currency = models.CharField(max_length=3)
    email = models.EmailField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="orders", help_text="The signed-in buyer, if any.")
    query_password = models.CharField(max_length=200, blank=True, help_text="Hashed; guards the keys.")
    lookup_fingerprint = models.CharField(
        max_length=64, blank=True, db_index=True,
        help_text="Keyed hash of (e-mail, query password): lookup finds the orders without trying every hash.")
    status = models.CharField(max_length=12, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey("payments.Payment", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    delivery_encrypted = models.TextField(blank=True, help_text="Manual delivery or reusable key, encrypted.")
    delivery_emailed_at = models.DateTimeField(null=True, blank=True)
    attention_reason = models.CharField(max_length=200, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    language = models.CharField(max_length=10, default="en", help_text="The buyer's language, for e-mails.")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"]), models.Index(fields=["email", "product"]),
                   models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_paid(self) -> bool:
        return self.status in PAID_STATUSES

    @property
    def has_query_password(self) -> bool:
        return bool(self.query_password)
