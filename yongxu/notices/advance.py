"""Advance notices: at each configured point before a window (72 h, 24 h…) every recently active
buyer is e-mailed once, in the background, at a limited rate.

Each recipient of a run is one outbox effect (``notices.advance_email``, keyed by run and address, so a
run planned twice adds nobody twice), staggered YONGXU_NOTICE_RATE_PER_MINUTE a minute. The outbox gives
the guarantees: claimed by exactly one worker, retried when nothing reached the mail server, "maybe sent"
(never resent by itself) when the worker died after handing it over. A run's progress is its effects'."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from yongxu.core import clock
from yongxu.maintenance.models import MaintenanceWindow, Phase
from yongxu.notices import describe, mail
from yongxu.notices.models import NoticeRun, Unsubscribe
from yongxu.orders.models import Order
from yongxu.outbox import services as outbox
from yongxu.outbox.errors import Skip
from yongxu.outbox.mail import send


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
    """Create the runs that are due, each with one outbox effect per recipient. Safe to run anywhere, any
    number of times."""
    now = now or clock.now()
    created = []
    for window in MaintenanceWindow.objects.filter(phase=Phase.PREPARE, planned_start__gt=now):
        point = due_point(window, now)
        if point is None or NoticeRun.objects.filter(window=window, point_hours=point).exists():
            continue
        try:
            with transaction.atomic():
                buyers = recent_buyers(now)
                run = NoticeRun.objects.create(window=window, point_hours=point, created_at=now, total=len(buyers))
                outbox.add_many("notices.advance_email",
                                [(f"notice:{run.pk}:{email}", {"run": run.pk, "email": email, "language": language})
                                 for email, language in sorted(buyers.items())],
                                subject=run.subject, spacing=timedelta(seconds=60 / settings.YONGXU_NOTICE_RATE_PER_MINUTE))
        except IntegrityError:  # another worker planned it first
            continue
        created.append(run)
    return created


def notice_context(window: MaintenanceWindow, point_hours: int, language: str) -> dict:
    return {"window": window, "point_hours": point_hours, "times": describe.local_times(window, language),
            "status_url": settings.SITE_URL + reverse("status"),
            "feedback_url": settings.SITE_URL + reverse("notices-feedback", args=[window.pk])}


def handle_effect(effect) -> None:
    """The outbox's "notices.advance_email": one advance notice to one buyer, unless it is old news."""
    payload = effect.payload
    run = NoticeRun.objects.select_related("window").filter(pk=payload["run"]).first()
    if run is None:
        raise Skip("the run is gone")
    window, language = run.window, payload["language"]
    if window.phase != Phase.PREPARE or window.planned_start <= clock.now():
        raise Skip("the window started or was called off")
    if Unsubscribe.objects.filter(email=payload["email"]).exists():
        raise Skip("unsubscribed")
    with translation.override(language):
        affects = describe.affects(window)
    send(effect, mail.build("notices/email/advance", {**notice_context(window, run.point_hours, language),
                                                      "affects": affects}, to=payload["email"], language=language))


def run_due(now: datetime | None = None) -> list[NoticeRun]:
    """The every-minute job: plan what is due (the outbox sends it)."""
    return plan_runs(now)
