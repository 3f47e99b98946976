from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yongxu.core import ratelimit


@db_periodic_task(crontab(minute="*/10"))
def prune_counters() -> None:
    ratelimit.prune()
