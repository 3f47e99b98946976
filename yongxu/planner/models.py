"""Traffic history in 15-minute buckets, and the merchant's calendar (promotions, special dates)."""

from django.db import models

SHOP = "shop"


class TrafficImport(models.Model):
    """One imported history file. ``source`` is ``import:<first 16 hex of its sha256>``: the same file
    imported twice is recognised and changes nothing."""

    source = models.CharField(max_length=40, unique=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    time_zone = models.CharField(max_length=64, help_text="The zone of the file's naive timestamps (the shop's zone).")
    lines = models.PositiveIntegerField()
    buckets = models.PositiveIntegerField()
    gmv = models.DecimalField(max_digits=16, decimal_places=2)
    options = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source})"


class TrafficBucket(models.Model):
    """Orders, GMV and distinct buyers in the 15 minutes from ``bucket`` (UTC). ``country`` is an ISO
    3166 code (or the file's own name for a place it does not map), "" for all countries together."""

    source = models.CharField(max_length=40, help_text='"shop" or "import:<file hash>"')
    bucket = models.DateTimeField()
    country = models.CharField(max_length=64, blank=True, default="")
    orders = models.PositiveIntegerField(default=0)
    gmv = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    buyers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "bucket", "country"], name="one_bucket_per_source_country")]
        indexes = [models.Index(fields=["country", "bucket"])]

    def __str__(self) -> str:
        return f"{self.source} {self.bucket:%Y-%m-%d %H:%M} {self.country or 'all'}"


class Promotion(models.Model):
    """A sale the merchant plans. Maintenance windows are kept away from it (±48 h by default)."""

    name = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    expected_uplift = models.DecimalField(max_digits=6, decimal_places=2, default=0,
                                          help_text="Extra sales expected while it runs: 0.5 = +50 %.")

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="promotion_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class SpecialDate(models.Model):
    """A moment with an expected surge the history cannot know: a game's new version, a price change."""

    name = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    expected_surge = models.DecimalField(max_digits=6, decimal_places=2, default=1,
                                         help_text="Extra sales expected on the day: 1 = twice a normal day.")

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="special_date_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class DatabaseSize(models.Model):
    """One measurement of the database's size and the free disk beside it (VAR_DIR), taken by
    `yongxu traffic warnings`; the growth trend is fitted on these."""

    taken_at = models.DateTimeField(db_index=True)
    db_bytes = models.BigIntegerField()
    free_bytes = models.BigIntegerField()

    class Meta:
        ordering = ["taken_at"]

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M}: {self.db_bytes} B, {self.free_bytes} B free"
