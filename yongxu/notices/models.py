"""What buyers and machines are told about planned maintenance: advance notice runs (their per-recipient
e-mails are outbox effects), unsubscribes, status-page subscribers, webhook endpoints, and buyers'
requests before a window."""

import secrets

from django.db import models

from yongxu.maintenance.models import MaintenanceWindow


class Unsubscribe(models.Model):
    """An address that asked for no more maintenance notices (one click in any notice)."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email


class NoticeRun(models.Model):
    """One advance notice of one window (at one point: 72 h before, 24 h before…) to every recently
    active buyer: one outbox effect per recipient (subject ``notice-run:<id>``), whose states are its
    progress, shown in the admin."""

    window = models.ForeignKey(MaintenanceWindow, on_delete=models.CASCADE, related_name="notice_runs")
    point_hours = models.PositiveIntegerField()
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["window", "point_hours"], name="one_run_per_window_point")]

    def __str__(self) -> str:
        return f"Window #{self.window_id}, {self.point_hours} h before"

    @property
    def subject(self) -> str:
        return f"notice-run:{self.pk}"

    def progress(self) -> dict[str, int]:
        """How many of its e-mails are in each outbox state: {"done": 3, "pending": 2, …}."""
        from django.db.models import Count

        from yongxu.outbox.models import Effect

        return dict(Effect.objects.filter(subject=self.subject).order_by().values_list("status").annotate(n=Count("id")))


class StatusSubscriber(models.Model):
    """Subscribed on the status page to e-mails about windows (start, new estimate, running late,
    completion, cancellation) and "we're back". Confirmed by a signed link (double opt-in)."""

    email = models.EmailField(unique=True)
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email


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
