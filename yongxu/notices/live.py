"""Window updates, told as they happen: e-mail to confirmed status subscribers (each update to each
address exactly once: a StatusDelivery row claimed before sending) and a post to every
enabled webhook endpoint. ``on_window_update`` is listed in settings.YONGXU_WINDOW_UPDATE_HANDLERS and
called after the update's transaction commits; the work runs in the background."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from yongxu.core import clock
from yongxu.maintenance.models import WindowUpdate
from yongxu.notices import mail
from yongxu.notices.advance import MAX_ATTEMPTS, NOT_SENT_ERRORS
from yongxu.notices.channels.base import Event
from yongxu.notices.models import DeliveryStatus, StatusDelivery, StatusSubscriber, WebhookDelivery, WebhookEndpoint

Kind = WindowUpdate.Kind
# Subscribers hear of these by e-mail; webhooks receive every update.
EMAIL_KINDS = frozenset({Kind.STARTED, Kind.ETA, Kind.LATE, Kind.COMPLETED, Kind.CANCELLED})
S = DeliveryStatus
MAX_AGE = timedelta(days=1)  # an update e-mail still pending after a day is old news: skipped


def on_window_update(update_id: int) -> None:
    from yongxu.notices.tasks import announce_update

    announce_update(update_id)


def event_for(update: WindowUpdate) -> Event:
    window = update.window
    label = str(Kind(update.kind).label)
    text = f"[{label}] {window.public_title}"
    if update.kind in (Kind.ETA, Kind.LATE) and update.eta:
        text += " — " + _("new estimate %(eta)s UTC") % {"eta": f"{update.eta:%Y-%m-%d %H:%M}"}
    elif update.kind == Kind.SCHEDULED:
        text += f" — {window.planned_start:%Y-%m-%d %H:%M} UTC"
    if update.note:
        text += f": {update.note}"
    return Event(kind=update.kind, kind_label=label, window_id=window.pk, title=window.public_title, text=text,
                 note=update.note, at=update.at, planned_start=window.planned_start, planned_end=window.planned_end,
                 eta=window.eta, phase=window.phase, level=window.level, capabilities=tuple(window.capabilities or ()),
                 url=settings.SITE_URL + reverse("status"))


def email_subscribers(update: WindowUpdate) -> int:
    """Queue one delivery per confirmed subscriber (unique per update and address), then send them."""
    if update.kind not in EMAIL_KINDS:
        return 0
    StatusDelivery.objects.bulk_create(
        [StatusDelivery(update=update, email=email, language=language) for email, language in
         StatusSubscriber.objects.filter(confirmed_at__isnull=False).order_by("pk").values_list("email", "language")],
        ignore_conflicts=True)
    return send_pending(update_id=update.pk)


def recover_stale(now: datetime) -> tuple[int, int]:
    """Claims left by a dead worker (see yongxu.notices.advance): without ``handed_at`` nothing reached
    the mail server, so the row is sent again; with it the message may have gone out: "unknown", not resent."""
    stale = Q(status=S.SENDING, claimed_at__lt=now - timedelta(minutes=settings.YONGXU_NOTICE_STALE_MINUTES))
    retried = StatusDelivery.objects.filter(stale, handed_at__isnull=True).update(status=S.PENDING, claimed_at=None)
    unknown = StatusDelivery.objects.filter(stale, handed_at__isnull=False).update(status=S.UNKNOWN)
    return retried, unknown


def send_pending(*, update_id: int | None = None, limit: int = 2000) -> int:
    """Send pending update e-mails (of one update, or all: the minute job's sweep after a crash).
    Each row is claimed with a conditional UPDATE first, so two workers never send the same one."""
    now = clock.now()
    recover_stale(now)
    pending = StatusDelivery.objects.filter(status=S.PENDING)
    # Too old to be news, or the address left since: not sent.
    pending.filter(Q(update__at__lt=now - MAX_AGE) | ~Exists(
        StatusSubscriber.objects.filter(email=OuterRef("email"), confirmed_at__isnull=False))).update(status=S.SKIPPED)
    if update_id is not None:
        pending = pending.filter(update_id=update_id)
    sent = 0
    for delivery in pending.select_related("update__window").order_by("id")[:limit]:
        if not StatusDelivery.objects.filter(pk=delivery.pk, status=S.PENDING).update(
                status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1):
            continue  # another worker has it
        delivery.attempts += 1
        if send_one(delivery) == S.SENT:
            sent += 1
    return sent


def send_one(delivery: StatusDelivery) -> str:
    update = delivery.update
    with translation.override(delivery.language):
        label = str(Kind(update.kind).label)
    message = mail.build("notices/email/update", {"update": update, "window": update.window, "label": label,
                                                  "status_url": settings.SITE_URL + reverse("status")},
                         to=delivery.email, language=delivery.language)
    rows = StatusDelivery.objects.filter(pk=delivery.pk)
    rows.update(handed_at=clock.now())
    try:
        message.send()
    except NOT_SENT_ERRORS as error:  # refused before anything was accepted: safe to try again
        retry = delivery.attempts < MAX_ATTEMPTS
        rows.update(status=S.PENDING if retry else S.FAILED, handed_at=None, claimed_at=None, error=str(error)[:300])
        return S.PENDING if retry else S.FAILED
    except Exception as error:  # the server may have accepted it: never resend
        rows.update(status=S.UNKNOWN, error=str(error)[:300])
        return S.UNKNOWN
    rows.update(status=S.SENT, sent_at=clock.now())
    return S.SENT


def queue_webhooks(update: WindowUpdate) -> list[int]:
    """One delivery row per enabled endpoint (unique: a second announcement of the same update adds none)."""
    created = []
    for endpoint in WebhookEndpoint.objects.filter(enabled=True).order_by("pk"):
        try:
            delivery, new = WebhookDelivery.objects.get_or_create(endpoint=endpoint, update=update)
        except IntegrityError:
            continue
        if new:
            created.append(delivery.pk)
    return created
