"""How every process learns that the maintenance state changed: a version stamp.

The database row (StateStamp) is the truth. Beside it, a cheap channel every process can poll: with
REDIS_URL, a Redis key plus a pub/sub message for instant refresh; without, a stamp file under var/
(the CLI, each gunicorn worker and the Huey worker are separate processes on one machine)."""

import logging
import os
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F

from yongxu.core import clock
from yongxu.maintenance.models import StateStamp

log = logging.getLogger(__name__)


def _names() -> tuple[str, str]:
    """(pub/sub channel, version key), namespaced like the cache so two shops can share one Redis."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "yongxu"
    return f"{prefix}:maintenance", f"{prefix}:maintenance:version"


def _redis(*, timeout: float | None = 0.5):
    return _client(settings.REDIS_URL, timeout)


@cache
def _client(url: str, timeout: float | None):
    """One client (and connection pool) per process and URL: the gate asks every second."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=0.5)


def stamp_path() -> Path:
    return Path(settings.VAR_DIR) / "maintenance" / "version"


def database_version() -> int:
    row = StateStamp.objects.filter(pk=1).values_list("version", flat=True).first()
    return row or 0


def bump() -> None:
    """Raise the version in the caller's transaction; announce it once the transaction commits."""
    StateStamp.objects.get_or_create(pk=1)
    StateStamp.objects.filter(pk=1).update(version=F("version") + 1, changed_at=clock.now())
    transaction.on_commit(lambda: announce(database_version()))


def announce(version: int) -> None:
    _write_stamp(version)
    if settings.REDIS_URL:
        try:
            name, key = _names()
            client = _redis()
            client.set(key, version)
            client.publish(name, str(version))
        except Exception as exc:  # noqa: BLE001 - nodes fall back to polling the database
            log.warning("could not announce maintenance version %s on Redis: %s", version, exc)


def _write_stamp(version: int) -> None:
    path = stamp_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(str(version))
    os.replace(temporary, path)


def cheap_version() -> int | None:
    """The version from the cheap channel, or None if it cannot be read (then poll the database)."""
    if settings.REDIS_URL:
        try:
            value = _redis().get(_names()[1])
        except Exception as exc:  # noqa: BLE001
            log.warning("maintenance version unreadable from Redis (%s); polling the database", exc)
            return None
        return int(value) if value is not None else 0
    try:
        return int(stamp_path().read_text() or 0)
    except FileNotFoundError:
        return 0
    except (OSError, ValueError):
        return None


def listen(on_message: Callable[[], None]) -> threading.Thread | None:
    """With Redis, call ``on_message`` whenever any process announces a new version."""
    if not settings.REDIS_URL:
        return None

    def run() -> None:
        import time

        while True:
            try:
                pubsub = _redis(timeout=None).pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(_names()[0])
                for message in pubsub.listen():
                    if message and message.get("type") == "message":
                        on_message()
            except Exception as exc:  # noqa: BLE001 - keep listening; polling covers the gap
                log.warning("maintenance pub/sub lost (%s); retrying", exc)
                time.sleep(2)

    thread = threading.Thread(target=run, name="maintenance-pubsub", daemon=True)
    thread.start()
    return thread
