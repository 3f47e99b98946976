"""The outbox: every effect that must follow a commit (an e-mail, a merchant alert, a webhook post, a
window handler) is a row written in the same transaction as the change that causes it, and delivered by
the worker. Nothing is fired from ``on_commit`` alone, so a crash or a dead Redis loses no effect."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EffectStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")  # claimed by a worker
    DONE = "done", _("Done")
    MAYBE = "maybe", _("Maybe sent (not retried)")  # handed to a provider, then the worker died
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not needed any more")


class Effect(models.Model):
    """One effect, done at most once per ``key``.

    pending → sending (claimed with a conditional UPDATE: exactly one worker wins) → done. Just before an
    effect is handed to the outside world (an SMTP server) the handler stamps ``handed_at``. A claim left by
    a dead worker goes back to pending if nothing was handed over, and becomes "maybe" (shown to staff, never
    resent by itself) if it was. Failures a retry can fix go back to pending with a back-off."""

    kind = models.CharField(max_length=60, help_text="A registered kind (yongxu.outbox.registry.KINDS).")
    key = models.CharField(max_length=200, unique=True, help_text="Stable: the same effect is never added twice.")
    payload = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=80, blank=True, db_index=True,
                               help_text="What it is about, for staff: order:YX…, ticket:…, notice-run:…")
    status = models.CharField(max_length=10, choices=EffectStatus.choices, default=EffectStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    available_at = models.DateTimeField(help_text="Not tried before this moment (back-off, rate limits).")
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=40, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-id"]
        permissions = [("retry_effect", "Can send a failed or maybe-sent effect again")]
        indexes = [models.Index(fields=["status", "available_at"]), models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.status})"

    def hand_over(self) -> None:
        """Call right before giving the effect to the outside world (the SMTP server): from here a crash
        leaves the effect "maybe", not retried. Raises ClaimLost if this worker's claim was taken away
        (it was presumed dead), so a slow worker never sends what another is sending."""
        from yongxu.core import clock
        from yongxu.outbox.errors import ClaimLost

        now = clock.now()
        if not Effect.objects.filter(pk=self.pk, status=EffectStatus.SENDING, claimed_by=self.claimed_by).update(
                handed_at=now):
            raise ClaimLost(self.key)
        self.handed_at = now
