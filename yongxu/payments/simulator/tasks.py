import logging
import threading
import urllib.request

from django.db.models import F
from huey.contrib.djhuey import db_task

from yongxu.payments.simulator.models import SimulatedTrade

log = logging.getLogger(__name__)
# What the shop answers once it has handled a callback, by protocol (WeChat Pay: HTTP 204, PayPal: 200, no body).
ACKNOWLEDGEMENTS = {"epay": "success", "alipay": "success", "epusdt": "ok", "wechat": "", "paypal": ""}


def _notification_request(trade: SimulatedTrade) -> urllib.request.Request:
    """Epay calls back by GET with the signed fields in the query; Alipay POSTs a signed form; epusdt POSTs
    signed JSON; WeChat Pay POSTs an encrypted resource with signed Wechatpay-* headers; PayPal POSTs its
    webhook event with PAYPAL-TRANSMISSION-* headers signed by the key of the certificate at PAYPAL-CERT-URL."""
    if not trade.notify_url.startswith(("http://", "https://")):
        raise ValueError(f"notify_url {trade.notify_url!r} is not http(s)")
    if trade.protocol == "alipay":
        from yongxu.payments.simulator.alipay import notification_body

        return urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            trade.notify_url, data=notification_body(trade), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    if trade.protocol == "epusdt":
        from yongxu.payments.simulator.epusdt import notification_body

        return urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            trade.notify_url, data=notification_body(trade), method="POST",
            headers={"Content-Type": "application/json"})
    if trade.protocol == "wechat":
        from yongxu.payments.simulator.wechat import notification

        body, headers = notification(trade)
        return urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            trade.notify_url, data=body, method="POST", headers={"Content-Type": "application/json", **headers})
    if trade.protocol == "paypal":
        from yongxu.payments.simulator.paypal import notification as paypal_notification

        body, headers = paypal_notification(trade)
        return urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            trade.notify_url, data=body, method="POST", headers={"Content-Type": "application/json", **headers})
    from yongxu.payments.simulator.views import notification_url

    return urllib.request.Request(notification_url(trade))  # noqa: S310 - http(s) only, checked above


@db_task(retries=5, retry_delay=10)
def send_notification(trade_id: int) -> None:
    """Call the shop back like a real gateway: over HTTP, until it answers as the protocol says."""
    trade = SimulatedTrade.objects.get(pk=trade_id)
    if trade.notified or trade.status != 1:
        return
    SimulatedTrade.objects.filter(pk=trade.pk).update(notify_attempts=F("notify_attempts") + 1)
    with urllib.request.urlopen(_notification_request(trade), timeout=10) as response:  # noqa: S310 - our own URL
        answer = response.read().decode("utf-8", "replace").strip()
    if answer != ACKNOWLEDGEMENTS.get(trade.protocol, "success"):
        raise RuntimeError(f"shop answered {answer!r}; will retry")
    SimulatedTrade.objects.filter(pk=trade.pk).update(notified=True)


def notify_shop(trade: SimulatedTrade) -> None:
    """Have the simulated gateway call the shop back in the background, like a real one. When the task queue
    is unreachable (Redis down), it calls back from a thread of its own instead: the gateway is the outside
    world and does not depend on the shop's queue."""
    try:
        send_notification(trade.pk)
    except Exception as error:  # noqa: BLE001 - the queue is away: call back directly
        log.warning("simulator: queue unavailable (%s); calling the shop back directly", error)
        threading.Thread(target=_call_back, args=(trade.pk,), daemon=True).start()


def _call_back(trade_id: int) -> None:
    from django.db import close_old_connections

    try:
        send_notification.call_local(trade_id)
    except Exception as error:  # noqa: BLE001 - the shop's reconciliation and the return page's query catch up
        log.warning("simulator: calling the shop back failed: %s", error)
    finally:
        close_old_connections()
