"""Background jobs (Huey), thin: every job is safe to run twice. The e-mails and posts themselves are
outbox effects, delivered by the worker's dispatcher."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yongxu.notices import advance


@db_periodic_task(crontab(minute="*"))
def send_advance_notices() -> None:
    """Plan the advance notices that are due (one outbox effect per recipient, rate-limited)."""
    advance.run_due()
