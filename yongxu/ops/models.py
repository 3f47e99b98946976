from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    LOW_STOCK = "low_stock", _("Low stock")
    NEEDS_STOCK = "needs_stock", _("Paid order waiting for stock")
    MANUAL_DELIVERY = "manual_delivery", _("Order waiting for manual delivery")
    BAD_NOTIFICATION = "bad_notification", _("Refused payment notification")
    DOUBLE_PAYMENT = "double_payment", _("Order paid twice")
    DELIVERY_EMAIL = "delivery_email", _("Delivery e-mail failed")
    EFFECT_FAILED = "effect_failed", _("An e-mail or message could not be sent")


class Alert(models.Model):
    """Something the merchant must look at; shown on the dashboard and e-mailed. One row per cause (kind and
    subject) while it keeps happening: a repeat within the coalescing window counts, it does not add a row."""

    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    message = models.CharField(max_length=500, help_text="The latest occurrence's.")
    subject_ref = models.CharField(max_length=80, blank=True)
    count = models.PositiveIntegerField(default=1, help_text="How many times it happened.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField(null=True, blank=True, help_text="When it last happened.")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "subject_ref", "last_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message}"


class WorkerHeartbeat(models.Model):
    """Written by the background worker; /readyz reads its age."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()
