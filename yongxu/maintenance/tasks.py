"""What follows a reopening (through the outbox), and the minute jobs (Huey), thin and safe to run twice."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yongxu.core import clock
from yongxu.core.capabilities import DELIVERY
from yongxu.core.text import join_list
from yongxu.maintenance.models import BackSubscriber
from yongxu.maintenance.snapshot import current_state
from yongxu.outbox import services as outbox
from yongxu.outbox.errors import Skip
from yongxu.outbox.mail import send


def reopened(*, because: str) -> None:
    """In the caller's transaction: once it commits, deliver what waited and tell who waited (an outbox
    effect keyed by ``because``, e.g. the closures that ended)."""
    outbox.add("maintenance.reopened", key=f"reopened:{because}", subject="maintenance")


def handle_reopened(effect=None) -> None:
    """The outbox's "maintenance.reopened" (also the minute job's): deliver the orders that waited for
    delivery, and queue the "we're back" e-mails of the subscribers whose capabilities are all open."""
    from yongxu.orders.services import deliver_queued_orders

    state = current_state()
    if not state.is_closed(DELIVERY):
        deliver_queued_orders(actor="system:reopening")
    notify_back_subscribers(state)


def is_back(state, waiting_for) -> bool:
    """Everything this subscriber waited for is open (nothing named: no maintenance on at all)."""
    if not waiting_for:
        return not state.in_maintenance
    return not any(state.is_closed(capability) for capability in waiting_for)


def notify_back_subscribers(state=None, limit: int = 500) -> int:
    """Queue, exactly once each, the "we're back" e-mail of the subscribers whose capabilities are all open
    in ``state``: the subscriber is marked told and its e-mail written to the outbox in one transaction."""
    state = state or current_state()
    queued = 0
    pending = BackSubscriber.objects.filter(notified_at__isnull=True).order_by("pk")
    for subscriber in pending.only("pk", "waiting_for").iterator():
        if queued >= limit:
            break
        if not is_back(state, subscriber.waiting_for):
            continue
        with transaction.atomic():
            # Claim first: a second worker running this at once skips the row.
            if not BackSubscriber.objects.filter(pk=subscriber.pk, notified_at__isnull=True).update(notified_at=clock.now()):
                continue
            outbox.add("maintenance.back_email", key=f"back:{subscriber.pk}", payload={"subscriber": subscriber.pk},
                       subject="maintenance")
        queued += 1
    return queued


def handle_back_email(effect) -> None:
    """The outbox's "maintenance.back_email": tell one subscriber that what they waited for is open."""
    subscriber = BackSubscriber.objects.filter(pk=effect.payload["subscriber"]).first()
    if subscriber is None:
        raise Skip("the subscriber is gone")
    with translation.override(subscriber.language):
        if 0 < len(subscriber.waiting_for) <= 3:  # a few named: say which; many: the shop is back
            body = _("%(what)s: open again. %(url)s") % {
                "what": join_list(_label(name) for name in subscriber.waiting_for), "url": settings.SITE_URL + "/"}
        else:
            body = _("The maintenance is over and the shop is open again: %(url)s") % {"url": settings.SITE_URL + "/"}
        subject = _("%(shop)s is back") % {"shop": settings.YONGXU_SHOP_NAME}
    send(effect, EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [subscriber.email]))


def _label(name: str) -> str:
    labels = {"browse": _("Browsing"), "checkout": _("New orders"), "payment": _("Payments"),
              "delivery": _("Key delivery"), "lookup": _("Order lookup"), "support": _("Support"),
              "accounts": _("Accounts and sign-in"), "api": _("The API")}
    return labels.get(name, name)


@db_periodic_task(crontab(minute="*"))
def deliver_when_reopened() -> None:
    """Windows also end by the clock alone; this catches what waited for them."""
    handle_reopened()


@db_periodic_task(crontab(minute="*"))
def advance_windows() -> None:
    """Windows start by the clock on their own (the gate needs no job); this records it in their
    timeline and applies the running-late rule."""
    from yongxu.maintenance.windows import advance_windows as advance

    advance()
