from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yongxu.core import clock
from yongxu.core.capabilities import DELIVERY
from yongxu.maintenance.models import BackSubscriber
from yongxu.maintenance.snapshot import current_state


@db_task(retries=3, retry_delay=30)
def after_reopening() -> None:
    """Maintenance ended: deliver what waited for delivery, tell who asked to be told."""
    from yongxu.orders.services import deliver_queued_orders

    state = current_state()
    if not state.is_closed(DELIVERY):
        deliver_queued_orders(actor="system:reopening")
    if not state.in_maintenance:
        notify_back_subscribers()


def notify_back_subscribers(limit: int = 500) -> int:
    sent = 0
    for subscriber in BackSubscriber.objects.filter(notified_at__isnull=True)[:limit]:
        # Claim first: a second worker running this at once skips the row.
        if not BackSubscriber.objects.filter(pk=subscriber.pk, notified_at__isnull=True).update(notified_at=clock.now()):
            continue
        with translation.override(subscriber.language):
            send_mail(_("%(shop)s is back") % {"shop": settings.YONGXU_SHOP_NAME},
                      _("The maintenance is over and the shop is open again: %(url)s") % {"url": settings.SITE_URL + "/"},
                      settings.DEFAULT_FROM_EMAIL, [subscriber.email])
        sent += 1
    return sent


@db_periodic_task(crontab(minute="*"))
def deliver_when_reopened() -> None:
    """Windows also end by the clock alone; this catches what waited for them."""
    after_reopening.call_local()


@db_periodic_task(crontab(minute="*"))
def advance_windows() -> None:
    """Windows start by the clock on their own (the gate needs no job); this records it in their
    timeline and applies the running-late rule."""
    from yongxu.maintenance.windows import advance_windows as advance

    advance()
