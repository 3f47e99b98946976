from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yongxu.orders import emails, services


@db_task(retries=5, retry_delay=60)
def send_order_email(order_id: int, kind: str) -> None:
    emails.send_order_email(order_id, kind)


@db_periodic_task(crontab(minute="*"))
def expire_orders() -> None:
    services.expire_orders()
