"""Window updates, told as they happen: an e-mail to every confirmed status subscriber and a post to every
enabled webhook endpoint. ``on_window_update`` is listed in settings.YONGXU_WINDOW_UPDATE_HANDLERS and
runs from the outbox once the update's transaction has committed; it fans the update out as one outbox
effect per address (``notices.update_email``: at most once, like every e-mail) and per endpoint
(``notices.webhook``: at least once — retried with back-off until the receiver answers 2xx, carrying a
stable ``X-Yongxu-Delivery`` id so a receiver can tell a retry from a new event)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from yongxu.core import clock
from yongxu.maintenance.models import WindowUpdate
from yongxu.notices import mail
from yongxu.notices.channels import channel_for
from yongxu.notices.channels.base import ChannelError, Event
from yongxu.notices.models import StatusSubscriber, WebhookEndpoint
from yongxu.outbox import services as outbox
from yongxu.outbox.errors import Permanent, Skip
from yongxu.outbox.mail import send

Kind = WindowUpdate.Kind
# Subscribers hear of these by e-mail; webhooks receive every update.
EMAIL_KINDS = frozenset({Kind.STARTED, Kind.ETA, Kind.LATE, Kind.COMPLETED, Kind.CANCELLED})
MAX_AGE = timedelta(days=1)  # an update e-mail still waiting after a day is old news: skipped


@transaction.atomic
def on_window_update(update_id: int) -> None:
    """One effect per enabled endpoint and, for the kinds subscribers hear of, per confirmed subscriber.
    Keyed by update and recipient: announcing the same update twice adds nothing."""
    update = WindowUpdate.objects.filter(pk=update_id).first()
    if update is None:
        return
    subject = f"window-update:{update.pk}"
    outbox.add_many("notices.webhook", [(f"webhook:{endpoint}:{update.pk}", {"endpoint": endpoint, "update": update.pk})
                                        for endpoint in WebhookEndpoint.objects.filter(enabled=True)
                                        .order_by("pk").values_list("pk", flat=True)], subject=subject)
    if update.kind in EMAIL_KINDS:
        outbox.add_many("notices.update_email",
                        [(f"update-email:{update.pk}:{email}", {"update": update.pk, "email": email, "language": language})
                         for email, language in StatusSubscriber.objects.filter(confirmed_at__isnull=False)
                         .order_by("pk").values_list("email", "language")], subject=subject)


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


def handle_email_effect(effect) -> None:
    """The outbox's "notices.update_email": one update to one subscriber, unless it left or it is old news."""
    payload = effect.payload
    update = WindowUpdate.objects.select_related("window").filter(pk=payload["update"]).first()
    if update is None or update.at < clock.now() - MAX_AGE:
        raise Skip("old news")
    if not StatusSubscriber.objects.filter(email=payload["email"], confirmed_at__isnull=False).exists():
        raise Skip("not subscribed any more")
    with translation.override(payload["language"]):
        label = str(Kind(update.kind).label)
    send(effect, mail.build("notices/email/update", {"update": update, "window": update.window, "label": label,
                                                     "status_url": settings.SITE_URL + reverse("status")},
                            to=payload["email"], language=payload["language"]))


def handle_webhook_effect(effect) -> None:
    """The outbox's "notices.webhook": post one update to one endpoint. A retryable failure (5xx, 429, the
    network) raises, so the outbox tries again with back-off; a 4xx will not get better (Permanent)."""
    endpoint = WebhookEndpoint.objects.filter(pk=effect.payload["endpoint"], enabled=True).first()
    update = WindowUpdate.objects.select_related("window").filter(pk=effect.payload["update"]).first()
    if endpoint is None or update is None:
        raise Skip("the endpoint was switched off, or the update is gone")
    try:
        channel_for(endpoint.format).post(event_for(update), endpoint, delivery_id=effect.key)
    except ChannelError as error:
        if error.status == 410 and endpoint.public:  # 410 Gone: a subscriber's way to unsubscribe
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(enabled=False)
        if not error.retryable:
            raise Permanent(str(error)) from error
        raise
