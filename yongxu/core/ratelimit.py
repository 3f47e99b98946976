"""Fixed-window counters in the cache (Redis when configured, so shared by every node)."""

from django.core.cache import cache

from yongxu.core.errors import RateLimited


def hit(bucket: str, *, limit: int, window: int) -> None:
    """Count one attempt in ``bucket``; raise RateLimited past ``limit`` attempts per ``window`` seconds."""
    key = f"ratelimit:{bucket}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=window)
