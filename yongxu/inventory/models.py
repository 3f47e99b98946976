from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class KeyStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved for an unpaid order")
    SOLD = "sold", _("Sold")
    VOID = "void", _("Withdrawn")


class CardKey(models.Model):
    """One card key (卡密), encrypted at rest. ``fingerprint`` is a keyed hash of the clear text, so
    duplicates are found without decrypting anything. A sold key keeps its order forever."""

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="keys")
    secret_encrypted = models.TextField()
    fingerprint = models.CharField(max_length=64)
    masked = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=KeyStatus.choices, default=KeyStatus.AVAILABLE)
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="keys")
    batch = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sold_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        permissions = [("reveal_cardkey", "Can reveal a card key in clear"),
                       ("export_cardkey", "Can export unsold card keys")]
        constraints = [
            models.UniqueConstraint(fields=["product", "fingerprint"], name="cardkey_unique_per_product"),
            models.CheckConstraint(
                condition=(Q(status__in=["available", "void"], order__isnull=True)
                           | Q(status__in=["reserved", "sold"], order__isnull=False)),
                name="cardkey_order_matches_status"),
        ]
        indexes = [models.Index(fields=["product", "status"])]

    def __str__(self) -> str:
        return f"{self.product} · {self.masked}"
