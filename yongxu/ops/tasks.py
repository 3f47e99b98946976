from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_shutdown, on_startup

from yongxu.ops import services


@on_startup()
def beat_on_startup() -> None:
    """Every worker process runs the outbox's dispatcher (it needs only the database)."""
    from yongxu.outbox import worker

    worker.start()
    try:
        services.beat()
    finally:
        from django.db import close_old_connections

        close_old_connections()


@on_shutdown()
def stop_dispatcher() -> None:
    from yongxu.outbox import worker

    worker.stop()


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    services.beat()
