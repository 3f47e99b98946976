"""Fixed-window counters and blocks shared by every process of the shop.

With ``REDIS_URL`` they live in Redis (one INCR per attempt). Without it — and whenever Redis fails or
does not answer within ``SOCKET_TIMEOUT`` — they live in the database (``yongxu.limits.Counter``: one
atomic upsert per attempt), so a limit holds across gunicorn workers and nodes in embedded mode too,
and a Redis outage never turns into a 500 or a limit that stops limiting. After a Redis failure the
database is used for ``REDIS_RETRY_SECONDS`` before Redis is tried again, so an outage costs one
timeout per process, not one per request. (Counts made in the database during an outage are not
carried back to Redis: for that short while a client may get up to one extra window's worth.)

The window is numbered by our own clock and the number is part of the key, so a window ends when the
clock says so (time-machine in tests, the app's clock in production) — not when a TTL runs out; TTLs
and ``prune()`` only tidy up.

Call these outside a transaction: an attempt must count even when what follows it rolls back."""

import hashlib
import logging
import threading
import time

import redis
from django.conf import settings
from django.db import connection
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from yongxu.core import clock
from yongxu.core.errors import RateLimited

log = logging.getLogger(__name__)

SOCKET_TIMEOUT = 0.5  # seconds to connect to Redis, and to wait for each answer
REDIS_RETRY_SECONDS = 15  # after a failure, how long the database counts before Redis is tried again

_lock = threading.Lock()
_clients: dict[str, object] = {}
_redis_down_until: dict[str, float] = {}  # per Redis URL: until when the database counts instead


def key_for(bucket: str, window: int) -> str:
    """The storage key of the current window of ``bucket``."""
    return _key(f"ratelimit:{bucket}:{_now() // window}")


def count(bucket: str, *, window: int) -> int:
    """Add one attempt to ``bucket`` in the current window; return the attempts so far (this one included)."""
    key = key_for(bucket, window)
    expires_at = (_now() // window + 1) * window
    client = _redis()
    if client is not None:
        try:
            pipe = client.pipeline()
            pipe.incr(_namespaced(key))
            pipe.expire(_namespaced(key), window * 2)
            return int(pipe.execute()[0])
        except (RedisError, OSError) as exc:  # down, hung or refusing: count in the database instead
            _redis_failed(exc)
    return _db_increment(key, expires_at)


def reset(bucket: str, *, window: int) -> None:
    """Forget the attempts of ``bucket``'s current window."""
    _delete(key_for(bucket, window))


def hit(bucket: str, *, limit: int, window: int) -> None:
    """Count one attempt in ``bucket``; raise RateLimited past ``limit`` attempts per ``window`` seconds,
    with ``retry_after`` the seconds left in the window."""
    if count(bucket, window=window) > limit:
        raise RateLimited(retry_after=max(1, window - _now() % window))


def block(bucket: str, *, seconds: int) -> None:
    """Mark ``bucket`` blocked for ``seconds`` from now (a later call replaces the end)."""
    key = _key(f"block:{bucket}")
    until = _now() + seconds
    client = _redis()
    if client is not None:
        try:
            client.set(_namespaced(key), until, ex=seconds * 2)
            return
        except (RedisError, OSError) as exc:
            _redis_failed(exc)
    _db_set(key, until)


def blocked_for(bucket: str) -> int:
    """Seconds left of ``bucket``'s block; 0 when it is not blocked."""
    key = _key(f"block:{bucket}")
    until = None
    client = _redis()
    if client is not None:
        try:
            until = client.get(_namespaced(key))
        except (RedisError, OSError) as exc:
            _redis_failed(exc)
            client = None
    if client is None:
        from yongxu.limits.models import Counter

        until = Counter.objects.filter(key=key).values_list("expires_at", flat=True).first()
    return max(0, int(until) - _now()) if until is not None else 0


def claim(bucket: str, *, seconds: int) -> bool:
    """True for the first claim of ``bucket`` in the next ``seconds`` (a single-use token), False after."""
    key = _key(f"claim:{bucket}")
    client = _redis()
    if client is not None:
        try:
            return bool(client.set(_namespaced(key), 1, nx=True, ex=seconds))
        except (RedisError, OSError) as exc:
            _redis_failed(exc)
    from yongxu.limits.models import Counter

    table, key_col, count_col, expires_col = _names(Counter)
    now = _now()
    # A claim that ran out (but was not pruned yet) starts again at 1, in the same single statement.
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({key_col}, {count_col}, {expires_col}) VALUES (%s, 1, %s) "  # noqa: S608
                       f"ON CONFLICT ({key_col}) DO UPDATE SET "
                       f"{count_col} = CASE WHEN {table}.{expires_col} <= %s THEN 1 ELSE {table}.{count_col} + 1 END, "
                       f"{expires_col} = CASE WHEN {table}.{expires_col} <= %s THEN excluded.{expires_col} "
                       f"ELSE {table}.{expires_col} END RETURNING {count_col}", [key, now + seconds, now, now])
        return int(cursor.fetchone()[0]) == 1


def unblock(bucket: str) -> None:
    _delete(_key(f"block:{bucket}"))


def prune() -> int:
    """Delete database rows whose window or block is over. Returns how many went."""
    from yongxu.limits.models import Counter

    deleted, _ = Counter.objects.filter(expires_at__lte=_now()).delete()
    return deleted


# -- storage -------------------------------------------------------------------------------------

def _now() -> int:
    return int(clock.now().timestamp())


def _key(text: str) -> str:
    return text if len(text) <= 200 else f"{text[:120]}#{hashlib.sha256(text.encode()).hexdigest()}"


def _db_increment(key: str, expires_at: int) -> int:
    from yongxu.limits.models import Counter

    table, key_col, count_col, expires_col = _names(Counter)
    # One statement, atomic on PostgreSQL (the row lock of ON CONFLICT) and on SQLite (one writer at a
    # time): two processes counting the same window can never both read the old value.
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({key_col}, {count_col}, {expires_col}) VALUES (%s, 1, %s) "  # noqa: S608
                       f"ON CONFLICT ({key_col}) DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
                       f"RETURNING {count_col}", [key, expires_at])
        return int(cursor.fetchone()[0])


def _db_set(key: str, expires_at: int) -> None:
    from yongxu.limits.models import Counter

    table, key_col, count_col, expires_col = _names(Counter)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({key_col}, {count_col}, {expires_col}) VALUES (%s, 0, %s) "  # noqa: S608
                       f"ON CONFLICT ({key_col}) DO UPDATE SET {expires_col} = excluded.{expires_col}", [key, expires_at])


def _names(model) -> tuple[str, ...]:
    quote = connection.ops.quote_name
    return (quote(model._meta.db_table), *(quote(model._meta.get_field(name).column)
                                            for name in ("key", "count", "expires_at")))


def _delete(key: str) -> None:
    from yongxu.limits.models import Counter

    client = _redis()
    if client is not None:
        try:
            client.delete(_namespaced(key))
        except (RedisError, OSError) as exc:
            _redis_failed(exc)
    # Also in the database: the count may have been made there while Redis was failing.
    Counter.objects.filter(key=key).delete()


def _namespaced(key: str) -> str:
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:{key}"


def _redis():
    """This process's Redis client for REDIS_URL, or None: no REDIS_URL, or Redis failed a moment ago."""
    url = getattr(settings, "REDIS_URL", "")
    if not url or time.monotonic() < _redis_down_until.get(url, 0):
        return None
    client = _clients.get(url)
    if client is None:
        with _lock:
            client = _clients.get(url) or redis.Redis.from_url(
                url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT, retry=Retry(NoBackoff(), 0))
            _clients[url] = client
    return client


def _redis_failed(exc: Exception) -> None:
    # The real time since the failure, not the shop's clock (which tests move, and windows follow).
    _redis_down_until[settings.REDIS_URL] = time.monotonic() + REDIS_RETRY_SECONDS
    log.warning("Redis failed (%s: %s); rate limits count in the database for %d s", type(exc).__name__, exc,
                REDIS_RETRY_SECONDS)
