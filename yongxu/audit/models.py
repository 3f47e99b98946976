from django.db import models


class AuditEntry(models.Model):
    """One append-only line of the audit log. ``entry_hash`` covers the previous entry's hash, so an
    edit, a deletion or a reordering breaks the chain from that point on."""

    at = models.DateTimeField()
    action = models.CharField(max_length=80)
    actor = models.CharField(max_length=200)
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.CharField(max_length=80, blank=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor}"


class AuditHead(models.Model):
    """A single row locked by every writer, so the chain has one order even across processes."""

    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)
