from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    FULL = "full", _("Full maintenance")
    READONLY = "readonly", _("Read-only (no new orders or payments)")
    MODULES = "modules", _("Some parts closed")
    SYNC = "sync", _("Background synchronisation paused")


class Closure(models.Model):
    """One reason some capabilities are closed: a manual switch, a scheduled window or an automatic
    protection (``source``). Active from ``starts_at`` (inclusive) until ``ends_at`` (exclusive, the
    clock reopens it) or ``ended_at`` (someone switched it off), whichever comes first."""

    source = models.CharField(max_length=80)
    level = models.CharField(max_length=10, choices=Level.choices)
    capabilities = models.JSONField(default=list, blank=True, help_text="Closed by name (always, for `modules`).")
    reason = models.TextField(blank=True, help_text="Internal; never shown to buyers.")
    public_reason = models.CharField(max_length=300, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    eta = models.DateTimeField(null=True, blank=True, help_text="What buyers are told; defaults to ends_at.")
    ended_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    steps = models.JSONField(default=list, blank=True)
    progress_note = models.CharField(max_length=300, blank=True)
    secret_id = models.CharField(max_length=32, blank=True, help_text="Rotating it invalidates bypass cookies.")
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        permissions = [("bypass", "Can use the shop while it is under maintenance"),
                       ("operate", "Can switch maintenance on and off")]
        indexes = [models.Index(fields=["ended_at", "starts_at"])]

    def __str__(self) -> str:
        from yongxu.maintenance import sources

        return f"#{self.pk} {sources.entry(self.source).label}: {self.get_level_display()} from {self.starts_at:%Y-%m-%d %H:%M}"


class StateStamp(models.Model):
    """One row: bumped on every change, so every process can tell its snapshot is stale."""

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)


class OperatorToken(models.Model):
    """A bearer token for pipelines (GET/POST /api/v1/maintenance). Only its SHA-256 is stored."""

    name = models.CharField(max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class BackSubscriber(models.Model):
    """"E-mail me when it's back", left on the maintenance page or the status page. Told once, when
    every capability in ``waiting_for`` is open again (empty: when no maintenance is on at all)."""

    email = models.EmailField()
    language = models.CharField(max_length=10, default="en")
    waiting_for = models.JSONField(default=list, blank=True, help_text="Capabilities; empty means the whole shop.")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email"], condition=models.Q(notified_at__isnull=True),
                                               name="one_pending_back_notice_per_email")]


class PageContent(models.Model):
    """What the maintenance page says beyond the state itself; edited in the admin (one row)."""

    contacts = models.TextField(blank=True, help_text="Emergency contacts, one per line (e-mail, Telegram, QQ group…).")
    promotion = models.CharField(max_length=300, blank=True, help_text="Optional promotion slot text.")
    coupon_teaser = models.CharField(max_length=100, blank=True, help_text="e.g. a coupon code for when we are back.")

    class Meta:
        verbose_name = "maintenance page content"
        verbose_name_plural = "maintenance page content"

    def __str__(self) -> str:
        return "Maintenance page content"


class WindowKind(models.TextChoices):
    UPGRADE = "upgrade", _("Upgrade")
    DATA_MIGRATION = "data_migration", _("Data migration")
    SECURITY = "security", _("Security")  # details stay hidden from the public
    EMERGENCY = "emergency", _("Emergency")


class Phase(models.TextChoices):
    PREPARE = "prepare", _("Preparing")
    EXECUTE = "execute", _("In progress")
    VERIFY = "verify", _("Verifying")
    DONE = "done", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class MaintenanceWindow(models.Model):
    """A planned maintenance window: it carries its own closure (opened by the clock at the planned
    start), its phases, steps and checklists, and every update buyers were told."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Public. For security windows keep details out of it.")
    kind = models.CharField(max_length=20, choices=WindowKind.choices, default=WindowKind.UPGRADE)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.FULL)
    capabilities = models.JSONField(default=list, blank=True)
    public_reason = models.CharField(max_length=300, blank=True)
    planned_start = models.DateTimeField()
    planned_end = models.DateTimeField()
    eta = models.DateTimeField(help_text="The current estimate of the end; moves on when running late.")
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.PREPARE)
    steps = models.JSONField(default=list, blank=True)
    checklist = models.JSONField(default=dict, blank=True, help_text="{phase: [{item, done}]}")
    closure = models.OneToOneField(Closure, null=True, blank=True, on_delete=models.SET_NULL, related_name="window")
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: raised by every change.")
    late_count = models.PositiveIntegerField(default=0)
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-planned_start"]
        constraints = [models.CheckConstraint(condition=models.Q(planned_end__gt=models.F("planned_start")),
                                              name="window_ends_after_it_starts")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def public_title(self) -> str:
        return str(_("Security maintenance")) if self.kind == WindowKind.SECURITY else self.title


class WindowUpdate(models.Model):
    """One line of a window's public timeline (and what subscribers are told)."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        STARTED = "started", _("Started")
        PROGRESS = "progress", _("Progress")
        ETA = "eta", _("New estimate")
        LATE = "late", _("Running late")
        VERIFYING = "verifying", _("Verifying")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        NOTE = "note", _("Update")

    window = models.ForeignKey(MaintenanceWindow, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.CharField(max_length=500, blank=True)
    eta = models.DateTimeField(null=True, blank=True)
    actor = models.CharField(max_length=200)

    class Meta:
        ordering = ["at", "id"]


class ChecklistTemplate(models.Model):
    """The checklist each new window starts with, per phase; edited in the admin."""

    phase = models.CharField(max_length=10, choices=Phase.choices, unique=True)
    items = models.TextField(help_text="One item per line.")

    def __str__(self) -> str:
        return f"{self.get_phase_display()} checklist"

    @property
    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]
