from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yongxu.payments import services, spool


@db_periodic_task(crontab(minute="*/2"))
def reconcile_payments() -> None:
    services.reconcile()


@db_periodic_task(crontab(minute="17", hour="3"))
def prune_notifications() -> None:
    services.prune_notifications()


@db_periodic_task(crontab(minute="*"))
def replay_spooled_callbacks() -> None:
    spool.replay()


@db_periodic_task(crontab(minute="*/5"))
def follow_up_refunds() -> None:
    services.follow_up_refunds()
