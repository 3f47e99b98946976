"""What buyers and machines are told about planned maintenance: advance notice runs and their
per-recipient deliveries, unsubscribes, status-page subscribers, webhook endpoints and their
deliveries, and buyers' requests before a window."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from yongxu.maintenance.models import MaintenanceWindow, WindowUpdate


class Unsubscribe(models.Model):
    """An address that asked for no more maintenance notices (one click in any notice)."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email


class NoticeRun(models.Model):
    """One advance notice of one window (at one point: 72 h before, 24 h before…) to every recently
    active buyer. Its counters are its progress, shown in the admin."""

    window = models.ForeignKey(MaintenanceWindow, on_delete=models.CASCADE, related_name="notice_runs")
    point_hours = models.PositiveIntegerField()
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["window", "point_hours"], name="one_run_per_window_point")]

    def __str__(self) -> str:
        return f"Window #{self.window_id}, {self.point_hours} h before"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")  # claimed by a worker
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Outcome unknown (not resent)")
    SKIPPED = "skipped", _("Skipped")


class EmailDelivery(models.Model):
    """One e-mail to one recipient, sent at most once: pending → sending (claimed with a conditional
    UPDATE) → sent. ``handed_at`` is written just before the message goes to the mail server: a stale
    claim without it certainly sent nothing and is retried; one with it may have been sent and is never
    resent (status "unknown")."""

    email = models.EmailField()
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class NoticeDelivery(EmailDelivery):
    """One recipient of one advance-notice run."""

    run = models.ForeignKey(NoticeRun, on_delete=models.CASCADE, related_name="deliveries")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "notice deliveries"
        constraints = [models.UniqueConstraint(fields=["run", "email"], name="one_delivery_per_run_email")]
        indexes = [models.Index(fields=["status", "claimed_at"])]


class StatusSubscriber(models.Model):
    """Subscribed on the status page to e-mails about windows (start, new estimate, running late,
    completion, cancellation) and "we're back". Confirmed by a signed link (double opt-in)."""

    email = models.EmailField(unique=True)
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email


class StatusDelivery(EmailDelivery):
    """One update e-mailed to one confirmed status subscriber: created once (unique), claimed with a
    conditional UPDATE and stamped ``handed_at`` before the mail server gets it, exactly like a
    NoticeDelivery, so a worker killed and restarted sends nobody the same update twice."""

    update = models.ForeignKey(WindowUpdate, on_delete=models.CASCADE, related_name="status_deliveries")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "status deliveries"
        constraints = [models.UniqueConstraint(fields=["update", "email"], name="one_status_delivery_per_update_email")]
        indexes = [models.Index(fields=["status", "claimed_at"], name="notices_sd_status_claimed")]


class WebhookFormat(models.TextChoices):
    GENERIC = "generic", "Generic JSON"
    TELEGRAM = "telegram", "Telegram bot"
    SLACK = "slack", "Slack-compatible"
    DISCORD = "discord", "Discord-compatible"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """Where window updates are posted. Every body is signed: X-Yongxu-Signature: sha256=<hex> of
    HMAC-SHA256(secret, "<timestamp>.<body>"), with the timestamp in X-Yongxu-Timestamp."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500, help_text="Telegram: https://api.telegram.org/bot<token>/sendMessage")
    format = models.CharField(max_length=10, choices=WebhookFormat.choices, default=WebhookFormat.GENERIC)
    secret = models.CharField(max_length=100, default=new_secret)
    chat_id = models.CharField(max_length=100, blank=True, help_text="Telegram only: the chat to post to.")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Subscribed by a visitor on the status page (not by an operator): activated only once the endpoint
    # echoed a signed challenge, and its address is checked again before every post.
    public = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    subscribed_from = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_format_display()})"


class WebhookDelivery(models.Model):
    """One update posted to one endpoint: created once (unique), retried with back-off until delivered."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    update = models.ForeignKey(WindowUpdate, on_delete=models.CASCADE, related_name="webhook_deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [models.UniqueConstraint(fields=["endpoint", "update"], name="one_delivery_per_endpoint_update")]


class Feedback(models.Model):
    """"Need something before the window?": a buyer's request, shown on the window's admin page."""

    window = models.ForeignKey(MaintenanceWindow, on_delete=models.CASCADE, related_name="feedback")
    email = models.EmailField()
    message = models.TextField(max_length=2000)
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    handled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.email} on window #{self.window_id}"
