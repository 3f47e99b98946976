from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    sort_order = models.IntegerField(default=0)
    visible = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class DeliveryMode(models.TextChoices):
    AUTO = "auto", _("Automatic (card keys)")
    MANUAL = "manual", _("Manual (the merchant fulfils)")


class Product(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    currency = models.CharField(max_length=3, default="CNY")
    min_quantity = models.PositiveIntegerField(default=1)
    max_quantity = models.PositiveIntegerField(default=10)
    per_email_limit = models.PositiveIntegerField(
        default=0, help_text="Most units one e-mail address may buy in all; 0 means no limit.")
    visible = models.BooleanField(default=True)
    sort_order = models.IntegerField(default=0)
    delivery_mode = models.CharField(max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.AUTO)
    reusable_key_encrypted = models.TextField(
        blank=True, help_text="循环卡密: one key (a download link, a shared account) given to every buyer.")
    low_stock_threshold = models.PositiveIntegerField(default=5)
    low_stock_alerted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="product_min_quantity_positive"),
            models.CheckConstraint(condition=Q(max_quantity__gte=models.F("min_quantity")),
                                   name="product_max_at_least_min"),
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_reusable_key(self) -> bool:
        return bool(self.reusable_key_encrypted)

    @property
    def uses_key_stock(self) -> bool:
        return self.delivery_mode == DeliveryMode.AUTO and not self.has_reusable_key
