"""Fixed-window counters in the cache (Redis when configured, so shared by every node).

The window is numbered by our own clock and the number is part of the key, so a window ends when the
clock says so (time-machine in tests, the app's clock in production) — not when the cache server's
TTL runs out; the TTL only tidies up."""

from django.core.cache import cache

from yongxu.core import clock
from yongxu.core.cache import CacheUnavailable
from yongxu.core.errors import RateLimited


def key_for(bucket: str, window: int) -> str:
    """The cache key of the current window of ``bucket``."""
    return f"ratelimit:{bucket}:{int(clock.now().timestamp()) // window}"


def count(bucket: str, *, window: int) -> int:
    """Add one attempt to ``bucket`` in the current window; return the attempts so far."""
    key = key_for(bucket, window)
    cache.add(key, 0, window * 2)
    try:
        return cache.incr(key)
    except CacheUnavailable:  # Redis is away: do not fail the request over a counter
        return 0
    except ValueError:  # tidied away between add and incr
        cache.set(key, 1, window * 2)
        return 1


def reset(bucket: str, *, window: int) -> None:
    cache.delete(key_for(bucket, window))


def hit(bucket: str, *, limit: int, window: int) -> None:
    """Count one attempt in ``bucket``; raise RateLimited past ``limit`` attempts per ``window`` seconds."""
    if count(bucket, window=window) > limit:
        raise RateLimited(retry_after=window)
