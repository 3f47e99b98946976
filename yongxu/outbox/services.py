"""Write effects in the caller's transaction; deliver them from the worker.

``add()`` is the only way an app asks for something to happen after its commit. ``drain()`` is what the
worker runs (and, in the test suite's immediate mode, what runs right after the commit)."""

import logging
import os
import secrets
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.module_loading import import_string

from yongxu.core import clock
from yongxu.outbox.errors import NOT_SENT_ERRORS, ClaimLost, Permanent, Retry, Skip
from yongxu.outbox.models import Effect, EffectStatus
from yongxu.outbox.registry import kind as kind_of

log = logging.getLogger(__name__)
S = EffectStatus
BACKOFF_BASE, BACKOFF_CAP = 30, 3600  # seconds
_local = threading.local()


def add(kind: str, *, key: str, payload: dict | None = None, subject: str = "",
        not_before: datetime | None = None) -> None:
    """Ask for an effect after the caller's transaction commits (it is a row of that transaction: rolled
    back with it, never lost after it). The same ``key`` twice is one effect."""
    add_many(kind, [(key, payload or {})], subject=subject, not_before=not_before)


def add_many(kind: str, items, *, subject: str = "", not_before: datetime | None = None,
             spacing: timedelta | None = None) -> None:
    """Many effects of one kind: ``items`` are (key, payload) pairs. ``spacing`` staggers them (a rate
    limit: the n-th is not tried before ``not_before + n * spacing``)."""
    kind_of(kind)  # refuse unregistered kinds before anything is written
    now = clock.now()
    start = not_before or now
    rows = [Effect(kind=kind, key=key[:200], payload=payload, subject=subject[:80], created_at=now,
                   available_at=start + (spacing * n if spacing else timedelta(0)))
            for n, (key, payload) in enumerate(items)]
    Effect.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    transaction.on_commit(kick_outbox)


def kick_outbox() -> None:
    """After a commit: in the test suite's immediate mode, deliver now; otherwise the worker's dispatcher
    polls the table (about once a second), so nothing here can fail or lose anything."""
    if settings.HUEY.get("immediate") and not getattr(_local, "draining", False):
        drain()


_BOOT = secrets.token_hex(3)  # tells this process from an earlier one that had the same pid (a container restart)


def worker_name() -> str:
    """host:pid:boot:thread — enough to tell, on the same host, a claim whose process is gone."""
    return f"{_host()}:{os.getpid()}:{_BOOT}:{threading.get_ident() % 1000}"


def _host() -> str:
    return socket.gethostname()[:12]


def _claimed_by_the_dead(claimed_by: str) -> bool:
    """True when the claim was made on this host by a process that no longer runs (or by an earlier process
    that had this one's pid). Claims of other hosts wait for the stale timeout."""
    host, _, rest = claimed_by.partition(":")
    pid_text, _, rest = rest.partition(":")
    boot = rest.partition(":")[0]
    if host != _host() or not pid_text.isascii() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return boot != _BOOT
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, and not ours to signal
        return False
    return False


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP))


def recover_stale(now: datetime | None = None) -> tuple[int, int]:
    """Claims left by a dead worker: (retried, now "maybe"). Without ``handed_at`` nothing left the
    shop, so the effect is tried again; with it, it may have, so it is never resent by itself."""
    now = now or clock.now()
    sending = Effect.objects.filter(status=S.SENDING)
    stale = sending.filter(claimed_at__lt=now - timedelta(seconds=settings.YONGXU_OUTBOX_STALE_SECONDS))
    # On this host a dead worker's claims need not wait for the timeout: its process is known to be gone.
    dead = [pk for pk, claimed_by in sending.filter(claimed_by__startswith=f"{_host()}:").values_list("pk", "claimed_by")
            if _claimed_by_the_dead(claimed_by)]
    stale = stale | sending.filter(pk__in=dead)
    retried = stale.filter(handed_at__isnull=True).update(status=S.PENDING, claimed_by="", available_at=now)
    maybe = list(stale.filter(handed_at__isnull=False).values_list("pk", flat=True))
    for pk in maybe:
        if Effect.objects.filter(pk=pk, status=S.SENDING).update(
                status=S.MAYBE, last_error="the worker stopped after handing it over; not resent"):
            _alert_if_needed(Effect.objects.get(pk=pk))
    return retried, len(maybe)


def due(limit: int, *, now: datetime | None = None) -> list[int]:
    """The ids of up to ``limit`` effects due now, oldest first."""
    return list(Effect.objects.filter(status=S.PENDING, available_at__lte=now or clock.now())
                .order_by("available_at", "id").values_list("pk", flat=True)[:limit])


def claim(pk: int, *, worker: str | None = None) -> Effect | None:
    """Claim one effect for this worker, or None if another worker has it. Exactly one worker wins: the
    one whose conditional UPDATE changed the row."""
    if not Effect.objects.filter(pk=pk, status=S.PENDING).update(
            status=S.SENDING, claimed_at=clock.now(), claimed_by=worker or worker_name(), handed_at=None,
            attempts=F("attempts") + 1):
        return None
    return Effect.objects.get(pk=pk)


def drain(limit: int = 100) -> int:
    """Deliver what is due (after putting back what dead workers left); returns how many were run. Each
    effect is claimed just before it runs, so a worker that dies holds one claim, not a batch."""
    _local.draining = True
    try:
        recover_stale()
        ran = 0
        while ran < limit:
            batch = due(min(20, limit - ran))
            if not batch:
                break
            for pk in batch:
                effect = claim(pk)
                if effect is not None:
                    run(effect)
                    ran += 1
            if ran == 0:
                break  # every due one was taken by other workers
        return ran
    finally:
        _local.draining = False


def run(effect: Effect) -> str:
    """Run one claimed effect's handler and record how it ended; returns the new status."""
    kind = kind_of(effect.kind)
    try:
        import_string(kind.handler)(effect)
    except ClaimLost:
        return S.SENDING  # another worker has it now
    except Skip as verdict:
        return _finish(effect, S.SKIPPED, str(verdict))
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the row, none escapes
        text = f"{type(error).__name__}: {error}"
        if effect.handed_at is not None and not isinstance(error, NOT_SENT_ERRORS):
            log.error("outbox %s: may have been sent before it failed (%s); not resent", effect.key, text)
            return _finish(effect, S.MAYBE, text, alert=True)
        if isinstance(error, Permanent) or effect.attempts >= kind.max_attempts:
            log.error("outbox %s failed for good after %s attempts: %s", effect.key, effect.attempts, text)
            return _finish(effect, S.FAILED, text, alert=True)
        after = timedelta(seconds=error.after) if isinstance(error, Retry) and error.after else backoff(effect.attempts)
        log.warning("outbox %s: attempt %s failed (%s); next in %s s", effect.key, effect.attempts, text,
                    int(after.total_seconds()))
        Effect.objects.filter(pk=effect.pk, status=S.SENDING, claimed_by=effect.claimed_by).update(
            status=S.PENDING, handed_at=None, claimed_by="", last_error=text[:300], available_at=clock.now() + after)
        return S.PENDING
    return _finish(effect, S.DONE, "")


def _finish(effect: Effect, status: str, error: str, *, alert: bool = False) -> str:
    changed = Effect.objects.filter(pk=effect.pk, status=S.SENDING, claimed_by=effect.claimed_by).update(
        status=status, done_at=clock.now(), last_error=error[:300])
    effect.status = status
    effect.last_error = error[:300]
    if changed and alert:
        _alert_if_needed(effect)
    return status


def _alert_if_needed(effect: Effect) -> None:
    if not kind_of(effect.kind).alert:
        return
    from yongxu.ops.models import AlertKind
    from yongxu.ops.services import raise_alert

    with transaction.atomic():
        raise_alert(AlertKind.EFFECT_FAILED, f"{effect.kind} for {effect.subject or effect.key} "
                    f"{EffectStatus(effect.status).label.lower()}: {effect.last_error}", subject_ref=effect.subject)


@transaction.atomic
def retry_effect(effect: Effect, *, actor) -> Effect:
    """Staff send a failed or "maybe sent" effect again (they checked it did not arrive)."""
    from yongxu.audit.services import record

    if not Effect.objects.filter(pk=effect.pk, status__in=[S.FAILED, S.MAYBE, S.SKIPPED]).update(
            status=S.PENDING, available_at=clock.now(), claimed_by="", handed_at=None, attempts=0):
        from yongxu.core.errors import DomainError

        raise DomainError("Only a failed, skipped or maybe-sent effect can be sent again.", code="effect_not_retryable")
    record("outbox.retried", actor=actor, subject=effect, data={"kind": effect.kind, "key": effect.key,
                                                                "was": effect.status})
    transaction.on_commit(kick_outbox)
    effect.refresh_from_db()
    return effect


def backlog() -> dict:
    """For /readyz and the control room: how many wait, and how old the oldest due one is (seconds)."""
    now = clock.now()
    due = Effect.objects.filter(status=S.PENDING, available_at__lte=now)
    oldest = due.order_by("available_at").values_list("available_at", flat=True).first()
    return {"due": due.count(), "oldest_due_seconds": int((now - oldest).total_seconds()) if oldest else 0,
            "maybe": Effect.objects.filter(status=S.MAYBE).count(),
            "failed": Effect.objects.filter(status=S.FAILED).count()}
