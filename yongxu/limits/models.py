"""Where rate-limit counters live when there is no Redis (or Redis is failing): one row per bucket and
window, so every process of the shop counts in the same place. ``yongxu.core.ratelimit`` owns them."""

from django.db import models


class Counter(models.Model):
    """A bucket's attempts in one fixed window (``lookup:203.0.113.9@2960331``), or a block
    (``block:signin:client:203.0.113.9``) that holds until ``expires_at``."""

    key = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True, help_text="Unix time after which the row means nothing.")

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"
