from django.core.validators import RegexValidator
from django.db import models

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #0f766e.")


class ShopSettings(models.Model):
    """The shop's name, brand and contacts, and its commercial defaults. One row, edited in the admin."""

    name = models.CharField(max_length=100, default="Yongxu 永续 Shop")
    logo_url = models.CharField(max_length=300, blank=True, help_text="An image URL (or a /static/ path).")
    primary_colour = models.CharField(max_length=7, default="#0f766e", validators=[colour])
    accent_colour = models.CharField(max_length=7, default="#f59e0b", validators=[colour])
    support_email = models.EmailField(default="support@localhost")
    contacts = models.TextField(blank=True, help_text="Other channels, one per line, e.g. 'Telegram: @shop', 'QQ群: 123'.")
    footer_text = models.CharField(max_length=300, blank=True)
    default_currency = models.CharField(max_length=3, default="CNY")
    order_timeout_minutes = models.PositiveIntegerField(default=15, help_text="How long keys stay reserved for an unpaid order.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "shop settings"

    def __str__(self) -> str:
        return self.name

    @property
    def contact_lines(self) -> list[str]:
        return [line.strip() for line in self.contacts.splitlines() if line.strip()]
