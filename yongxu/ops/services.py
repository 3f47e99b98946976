"""Merchant alerts, the worker heartbeat and readiness checks."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from yongxu.core import clock
from yongxu.ops.models import Alert, WorkerHeartbeat

log = logging.getLogger(__name__)


def raise_alert(kind: str, message: str, *, subject_ref: str = "") -> Alert:
    """Record an alert for the merchant and e-mail the merchant once the transaction commits."""
    alert = Alert.objects.create(kind=kind, message=message[:500], subject_ref=subject_ref)
    log.warning("alert %s: %s", kind, message)
    from yongxu.ops.tasks import email_alert

    transaction.on_commit(lambda: email_alert(alert.pk))
    return alert


def beat(name: str = "worker") -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": clock.now()})


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return Check("database", True)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return Check("database", False, type(exc).__name__)


def check_cache() -> Check:
    try:
        cache.set("yongxu:readyz", "1", 10)
        ok = cache.get("yongxu:readyz") == "1"
        return Check("cache", ok, "" if ok else "value not read back")
    except Exception as exc:  # noqa: BLE001
        return Check("cache", False, type(exc).__name__)


def check_worker() -> Check:
    if settings.HUEY.get("immediate"):
        return Check("worker", True, "tasks run in-process")
    try:
        heartbeat = WorkerHeartbeat.objects.filter(name="worker").first()
    except Exception as exc:  # noqa: BLE001
        return Check("worker", False, type(exc).__name__)
    if heartbeat is None:
        return Check("worker", False, "no heartbeat yet: is the worker running?")
    age = clock.now() - heartbeat.beat_at
    if age > timedelta(seconds=settings.YONGXU_WORKER_STALE_SECONDS):
        return Check("worker", False, f"last heartbeat {int(age.total_seconds())} s ago")
    return Check("worker", True)


def readiness() -> list[Check]:
    return [check_database(), check_cache(), check_worker()]
