from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yongxu.orders import services


@db_periodic_task(crontab(minute="*"))
def expire_orders() -> None:
    services.expire_orders()
