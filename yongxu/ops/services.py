"""Merchant alerts, the worker heartbeat and readiness checks."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from yongxu.core import clock
from yongxu.ops.models import Alert, WorkerHeartbeat

log = logging.getLogger(__name__)


def raise_alert(kind: str, message: str, *, subject_ref: str = "") -> Alert:
    """Record an alert for the merchant, once per cause: the same kind and subject again within
    YONGXU_ALERT_COALESCE_MINUTES adds to its count instead of a row. E-mail, through the outbox: the first
    alert of a kind in a window at once, everything after it in that window in one digest at its end, so
    nothing a forger sends can flood the merchant's inbox."""
    from yongxu.ops import alerts

    now = clock.now()
    window = timedelta(minutes=settings.YONGXU_ALERT_COALESCE_MINUTES)
    log.warning("alert %s: %s", kind, message)
    with transaction.atomic():
        alert = (Alert.objects.select_for_update().filter(kind=kind, subject_ref=subject_ref, resolved_at__isnull=True,
                                                          last_at__gte=now - window).order_by("-last_at").first())
        if alert is not None:
            Alert.objects.filter(pk=alert.pk).update(count=F("count") + 1, last_at=now, message=message[:500])
            alert.refresh_from_db()
        else:
            alert = Alert.objects.create(kind=kind, message=message[:500], subject_ref=subject_ref, last_at=now)
        alerts.email_later(alert, now=now)
    return alert


def resolve_alerts(kind: str, *, subject_ref: str) -> int:
    """The cause went away (keys were imported): its open alerts are resolved."""
    return Alert.objects.filter(kind=kind, subject_ref=subject_ref, resolved_at__isnull=True).update(
        resolved_at=clock.now())


def beat(name: str = "worker") -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": clock.now()})


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not known (what it needs is down)
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


def check_outbox() -> Check:
    """Effects waiting past their time: the worker is behind or away (e-mails are late, not lost)."""
    from yongxu.outbox.services import backlog

    try:
        waiting = backlog()
    except Exception as exc:  # noqa: BLE001
        return Check("outbox", False, type(exc).__name__)
    late = waiting["oldest_due_seconds"] > settings.YONGXU_WORKER_STALE_SECONDS
    detail = f"{waiting['due']} due, oldest {waiting['oldest_due_seconds']} s; {waiting['maybe']} maybe sent, " \
             f"{waiting['failed']} failed"
    return Check("outbox", not late, detail)


def readiness() -> list[Check]:
    """Every check, each saying only what it saw: with the database down, what lives in it is "unknown"
    (ok None), not failing, so the answer names the database alone."""
    database = check_database()
    if not database.ok:
        unknown = "unknown while the database is down"
        return [database, check_cache(), Check("worker", None, unknown), Check("outbox", None, unknown)]
    return [database, check_cache(), check_worker(), check_outbox()]
