import urllib.request

from django.db.models import F
from huey.contrib.djhuey import db_task

from yongxu.payments.simulator.models import SimulatedTrade


@db_task(retries=5, retry_delay=10)
def send_notification(trade_id: int) -> None:
    """Call the shop back like a real gateway: over HTTP, until it answers ``success``."""
    from yongxu.payments.simulator.views import notification_url

    trade = SimulatedTrade.objects.get(pk=trade_id)
    if trade.notified or trade.status != 1:
        return
    SimulatedTrade.objects.filter(pk=trade.pk).update(notify_attempts=F("notify_attempts") + 1)
    with urllib.request.urlopen(notification_url(trade), timeout=10) as response:  # noqa: S310 - our own URL
        answer = response.read().decode("utf-8", "replace").strip()
    if answer != "success":
        raise RuntimeError(f"shop answered {answer!r}; will retry")
    SimulatedTrade.objects.filter(pk=trade.pk).update(notified=True)
