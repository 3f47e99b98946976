"""Background jobs (Huey), thin: every job is safe to run twice."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yongxu.maintenance.models import WindowUpdate
from yongxu.notices import advance, live
from yongxu.notices.channels import channel_for
from yongxu.notices.channels.base import ChannelError
from yongxu.notices.models import WebhookDelivery, WebhookEndpoint

WEBHOOK_RETRIES = 6  # 30 s, 1 min, 2 min, 4 min, 8 min, 16 min


@db_periodic_task(crontab(minute="*"))
def send_advance_notices() -> None:
    """Plan the notices that are due and send one rate-limited batch; finish update e-mails a dead
    worker left behind."""
    advance.run_due()
    live.send_pending()


@db_task()
def announce_update(update_id: int) -> None:
    update = WindowUpdate.objects.select_related("window").filter(pk=update_id).first()
    if update is None:
        return
    for delivery_id in live.queue_webhooks(update):
        deliver_webhook(delivery_id)
    live.email_subscribers(update)


@db_task(retries=WEBHOOK_RETRIES, retry_delay=30, retry_backoff=2)
def deliver_webhook(delivery_id: int) -> None:
    """Post one update to one endpoint; a retryable failure raises, so Huey tries again later (back-off)."""
    delivery = WebhookDelivery.objects.select_related("endpoint", "update__window").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return
    rows = WebhookDelivery.objects.filter(pk=delivery.pk)
    try:
        sent = channel_for(delivery.endpoint.format).post(live.event_for(delivery.update), delivery.endpoint)
    except ChannelError as error:
        final = not error.retryable or delivery.attempts + 1 >= WEBHOOK_RETRIES + 1
        if error.status == 410 and delivery.endpoint.public:  # 410 Gone: a subscriber's way to unsubscribe
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(enabled=False)
        rows.update(attempts=delivery.attempts + 1, last_status=error.status, last_error=str(error)[:300],
                    status=WebhookDelivery.Status.FAILED if final else WebhookDelivery.Status.PENDING)
        if not final:
            raise
        return
    rows.update(attempts=delivery.attempts + 1, last_status=sent.status, last_error="",
                status=WebhookDelivery.Status.DELIVERED, delivered_at=timezone.now())
