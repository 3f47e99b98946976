from huey.contrib.djhuey import db_task

from yongxu.accounts import emails


@db_task(retries=3, retry_delay=60)
def send_account_email(kind: str, user_id: int) -> None:
    emails.send_account_email(kind, user_id)
