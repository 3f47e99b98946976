"""Window updates, told as they happen: e-mail to confirmed status subscribers and a post to every
enabled webhook endpoint. ``on_window_update`` is listed in settings.YONGXU_WINDOW_UPDATE_HANDLERS and
called after the update's transaction commits; the work runs in the background."""

from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from yongxu.maintenance.models import WindowUpdate
from yongxu.notices import mail
from yongxu.notices.channels.base import Event
from yongxu.notices.models import StatusSubscriber, WebhookDelivery, WebhookEndpoint

Kind = WindowUpdate.Kind
# Subscribers hear of these by e-mail; webhooks receive every update.
EMAIL_KINDS = frozenset({Kind.STARTED, Kind.ETA, Kind.LATE, Kind.COMPLETED, Kind.CANCELLED})


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
    if update.kind not in EMAIL_KINDS:
        return 0
    sent = 0
    for subscriber in StatusSubscriber.objects.filter(confirmed_at__isnull=False).order_by("pk"):
        with translation.override(subscriber.language):
            label = str(Kind(update.kind).label)
        mail.build("notices/email/update", {"update": update, "window": update.window, "label": label,
                                            "status_url": settings.SITE_URL + reverse("status")},
                   to=subscriber.email, language=subscriber.language).send()
        sent += 1
    return sent


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
