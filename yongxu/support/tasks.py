from huey.contrib.djhuey import db_task

from yongxu.support import emails


@db_task(retries=5, retry_delay=60)
def send_ticket_email(ticket_id: int, kind: str, message_id: int | None = None) -> None:
    emails.send_ticket_email(ticket_id, kind, message_id)
