"""Advance notices: at each configured point before a window (72 h, 24 h…) every recently active
buyer is e-mailed once, in the background, in batches, at a limited rate.

Exactly once, and never twice. Each recipient is a NoticeDelivery row (unique per run and address).
A worker claims a row with a conditional UPDATE (pending → sending; exactly one worker wins), stamps
``handed_at`` just before giving the message to the mail server, and marks it sent after. If the worker
dies in between, the row stays "sending". After YONGXU_NOTICE_STALE_MINUTES:
- without ``handed_at`` nothing reached the mail server: the row goes back to pending and is sent;
- with ``handed_at`` the message may have gone out: it is marked "unknown" and NOT resent
  (at-most-once for that narrow gap; the admin shows these rows, an operator may resend by hand).
Errors the mail server gives before accepting the message (refused, unreachable) are known not to have
sent anything: the row goes back to pending (failed after MAX_ATTEMPTS)."""

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import translation

from yongxu.core import clock
from yongxu.maintenance.models import MaintenanceWindow, Phase
from yongxu.notices import describe, mail
from yongxu.notices.models import DeliveryStatus, NoticeDelivery, NoticeRun, Unsubscribe
from yongxu.orders.models import Order

S = DeliveryStatus
MAX_ATTEMPTS = 3
# Raised before the mail server accepted anything: retrying cannot send a message twice.
NOT_SENT_ERRORS = (smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError,
                   smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused, ConnectionRefusedError)


def recent_buyers(now: datetime) -> dict[str, str]:
    """{address: language} of everyone who ordered within YONGXU_NOTICE_RECENT_DAYS, deduplicated
    case-insensitively (their latest order's language), minus who unsubscribed."""
    since = now - timedelta(days=settings.YONGXU_NOTICE_RECENT_DAYS)
    buyers: dict[str, str] = {}
    for email, language in (Order.objects.filter(created_at__gte=since, created_at__lte=now)
                            .order_by("-created_at").values_list("email", "language")):
        buyers.setdefault(email.strip().lower(), language)
    gone = set(Unsubscribe.objects.filter(email__in=list(buyers)).values_list("email", flat=True))
    return {email: language for email, language in buyers.items() if email not in gone}


def due_point(window: MaintenanceWindow, now: datetime) -> int | None:
    """The nearest configured point already reached before the window starts (a window planned 10 h
    ahead gets its 24 h notice at once, and no 72 h notice)."""
    if window.phase != Phase.PREPARE or now >= window.planned_start:
        return None
    reached = [hours for hours in settings.YONGXU_NOTICE_POINTS_HOURS if window.planned_start - timedelta(hours=hours) <= now]
    return min(reached) if reached else None


def plan_runs(now: datetime | None = None) -> list[NoticeRun]:
    """Create the runs that are due, each with its recipients. Safe to run anywhere, any number of times."""
    now = now or clock.now()
    created = []
    for window in MaintenanceWindow.objects.filter(phase=Phase.PREPARE, planned_start__gt=now):
        point = due_point(window, now)
        if point is None or NoticeRun.objects.filter(window=window, point_hours=point).exists():
            continue
        try:
            with transaction.atomic():
                run = NoticeRun.objects.create(window=window, point_hours=point, created_at=now)
                buyers = recent_buyers(now)
                NoticeDelivery.objects.bulk_create(
                    [NoticeDelivery(run=run, email=email, language=language) for email, language in sorted(buyers.items())])
                run.total = len(buyers)
                run.save(update_fields=["total"])
        except IntegrityError:  # another worker planned it first
            continue
        created.append(run)
    return created


def recover_stale(now: datetime) -> tuple[int, int]:
    """Claims left by a dead worker: (retried, marked unknown). See the module docstring."""
    stale = Q(status=S.SENDING, claimed_at__lt=now - timedelta(minutes=settings.YONGXU_NOTICE_STALE_MINUTES))
    retried = NoticeDelivery.objects.filter(stale, handed_at__isnull=True).update(status=S.PENDING, claimed_at=None)
    unknown = list(NoticeDelivery.objects.filter(stale, handed_at__isnull=False).values_list("pk", "run_id"))
    for pk, run_id in unknown:
        if NoticeDelivery.objects.filter(pk=pk, status=S.SENDING).update(status=S.UNKNOWN):
            NoticeRun.objects.filter(pk=run_id).update(failed=F("failed") + 1)
    return retried, len(unknown)


def _claim(pk: int, now: datetime) -> bool:
    """Exactly one worker wins a row: the one whose conditional UPDATE changed it."""
    return NoticeDelivery.objects.filter(pk=pk, status=S.PENDING).update(
        status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1) == 1


def notice_context(delivery: NoticeDelivery) -> dict:
    window = delivery.run.window
    return {"window": window, "point_hours": delivery.run.point_hours,
            "times": describe.local_times(window, delivery.language),
            "status_url": settings.SITE_URL + reverse("status"),
            "feedback_url": settings.SITE_URL + reverse("notices-feedback", args=[window.pk])}


def _affects(delivery: NoticeDelivery) -> str:
    with translation.override(delivery.language):
        return describe.affects(delivery.run.window)


def send_one(delivery: NoticeDelivery) -> str:
    """Send a claimed delivery; returns its new status."""
    message = mail.build("notices/email/advance", {**notice_context(delivery), "affects": _affects(delivery)},
                         to=delivery.email, language=delivery.language)
    NoticeDelivery.objects.filter(pk=delivery.pk).update(handed_at=clock.now())
    try:
        message.send()
    except NOT_SENT_ERRORS as error:
        retry = delivery.attempts < MAX_ATTEMPTS
        NoticeDelivery.objects.filter(pk=delivery.pk).update(
            status=S.PENDING if retry else S.FAILED, handed_at=None, claimed_at=None, error=str(error)[:300])
        return S.PENDING if retry else S.FAILED
    except Exception as error:  # the server may have accepted it: never resend
        NoticeDelivery.objects.filter(pk=delivery.pk).update(status=S.UNKNOWN, error=str(error)[:300])
        return S.UNKNOWN
    NoticeDelivery.objects.filter(pk=delivery.pk).update(status=S.SENT, sent_at=clock.now())
    return S.SENT


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0


def send_batch(limit: int | None = None, *, now: datetime | None = None) -> BatchResult:
    """Send up to ``limit`` (default: the per-minute rate) pending notices, oldest run first."""
    now = now or clock.now()
    limit = limit or settings.YONGXU_NOTICE_RATE_PER_MINUTE
    result = BatchResult()
    result.retried, _unknown = recover_stale(now)
    # A cancelled or started window needs no advance notice any more.
    result.skipped = NoticeDelivery.objects.filter(status=S.PENDING).filter(
        Q(run__window__phase__in=[Phase.CANCELLED, Phase.DONE]) | Q(run__window__planned_start__lte=now)
    ).update(status=S.SKIPPED)
    pending = (NoticeDelivery.objects.filter(status=S.PENDING).select_related("run__window")
               .order_by("run__created_at", "id")[:limit])
    for delivery in list(pending):
        if not _claim(delivery.pk, now):
            continue  # another worker has it
        delivery.attempts += 1
        NoticeRun.objects.filter(pk=delivery.run_id, started_at__isnull=True).update(started_at=now)
        status = send_one(delivery)
        if status == S.SENT:
            NoticeRun.objects.filter(pk=delivery.run_id).update(sent=F("sent") + 1)
            result.sent += 1
        elif status in (S.FAILED, S.UNKNOWN):
            NoticeRun.objects.filter(pk=delivery.run_id).update(failed=F("failed") + 1)
            result.failed += 1
    finish_runs(clock.now())
    return result


def finish_runs(now: datetime) -> int:
    open_rows = NoticeDelivery.objects.filter(run=OuterRef("pk"), status__in=[S.PENDING, S.SENDING])
    return NoticeRun.objects.filter(finished_at__isnull=True).exclude(Exists(open_rows)).update(finished_at=now)


def run_due(now: datetime | None = None) -> BatchResult:
    """The every-minute job: plan what is due, send one rate-limited batch."""
    now = now or clock.now()
    plan_runs(now)
    return send_batch(now=now)
