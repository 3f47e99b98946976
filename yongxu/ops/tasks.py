from django.conf import settings
from django.core.mail import send_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from yongxu.ops import services
from yongxu.ops.models import Alert


@db_task(retries=3, retry_delay=30)
def email_alert(alert_id: int) -> None:
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None or not settings.MERCHANT_EMAILS:
        return
    send_mail(f"[{settings.YONGXU_SHOP_NAME}] {alert.get_kind_display()}", alert.message,
              settings.DEFAULT_FROM_EMAIL, settings.MERCHANT_EMAILS)


@on_startup()
def beat_on_startup() -> None:
    try:
        services.beat()
    finally:
        from django.db import close_old_connections

        close_old_connections()


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    services.beat()
