from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yongxu.catalog import services
from yongxu.maintenance.snapshot import current_state


@db_periodic_task(crontab(minute="*"))
def synchronise_stock_snapshot() -> None:
    """A background synchronisation job: paused while maintenance is at level ``sync`` (or full)."""
    if current_state().sync_paused:
        return
    services.refresh_stock_snapshot()
