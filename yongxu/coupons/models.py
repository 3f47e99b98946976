from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CouponKind(models.TextChoices):
    PERCENT = "percent", _("Percentage off")
    FIXED = "fixed", _("Fixed amount off")


class Coupon(models.Model):
    code = models.CharField(max_length=40, unique=True, help_text="Stored upper-case; buyers may type any case.")
    kind = models.CharField(max_length=10, choices=CouponKind.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))],
                                help_text="Percent (1–100) or an amount in the order's currency.")
    currency = models.CharField(max_length=3, blank=True, help_text="For fixed amounts: the currency it applies to.")
    min_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    products = models.ManyToManyField("catalog.Product", blank=True, help_text="Empty: every product.")
    categories = models.ManyToManyField("catalog.Category", blank=True, help_text="Empty: every category.")
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    total_uses = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: unlimited.")
    uses_per_email = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: unlimited.")
    used_count = models.PositiveIntegerField(default=0)
    for_email = models.EmailField(blank=True, help_text="Only this buyer may use it (issued coupons).")
    active = models.BooleanField(default=True)
    batch = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(total_uses__isnull=True) | Q(used_count__lte=models.F("total_uses")),
                                   name="coupon_never_over_redeemed"),
            models.CheckConstraint(condition=~Q(kind="percent") | Q(value__lte=100), name="coupon_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.code


class Redemption(models.Model):
    """A coupon held by an order. Released (and its use given back) if the order expires unpaid."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="redemption")
    email = models.EmailField()
    discount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["coupon", "email"])]
