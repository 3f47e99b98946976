"""Alert e-mails to the merchant, through the outbox: at most one e-mail per kind of alert at once in each
coalescing window, and one digest at the window's end for whatever came after it."""

from datetime import datetime, timedelta

from django.conf import settings

from yongxu.core import clock
from yongxu.ops.models import Alert, AlertKind
from yongxu.outbox import services as outbox
from yongxu.outbox.errors import Skip


def _bucket(now: datetime) -> tuple[int, datetime, datetime]:
    seconds = settings.YONGXU_ALERT_COALESCE_MINUTES * 60
    number = int(now.timestamp()) // seconds
    start = datetime.fromtimestamp(number * seconds, tz=now.tzinfo)
    return number, start, start + timedelta(seconds=seconds)


def email_later(alert: Alert, *, now: datetime) -> None:
    """In the caller's transaction: the window's first e-mail of this kind (a no-op if it exists) and its
    digest, due at the window's end (a no-op if it exists; skipped if nothing came after the first)."""
    number, start, end = _bucket(now)
    payload = {"kind": alert.kind, "start": start.isoformat(), "end": end.isoformat(), "first": alert.pk}
    outbox.add("ops.alert_email", key=f"alert:{alert.kind}:{number}:first", payload=payload,
               subject=f"alert:{alert.kind}")
    outbox.add("ops.alert_email", key=f"alert:{alert.kind}:{number}:digest", payload={**payload, "digest": True},
               subject=f"alert:{alert.kind}", not_before=end)


def handle_effect(effect) -> None:
    """The outbox's "ops.alert_email"."""
    from django.core.mail import EmailMessage

    from yongxu.outbox.mail import send

    if not settings.MERCHANT_EMAILS:
        raise Skip("no merchant address (YONGXU_MERCHANT_EMAILS)")
    payload = effect.payload
    label = AlertKind(payload["kind"]).label
    if not payload.get("digest"):
        alert = Alert.objects.filter(pk=payload["first"]).first()
        if alert is None:
            raise Skip("the alert is gone")
        subject, body = f"[{settings.YONGXU_SHOP_NAME}] {label}", alert.message
    else:
        start, end = datetime.fromisoformat(payload["start"]), datetime.fromisoformat(payload["end"])
        rows = list(Alert.objects.filter(kind=payload["kind"], last_at__gte=start, last_at__lt=end)
                    .exclude(pk=payload["first"], count=1).order_by("created_at")[:50])
        if not rows:
            raise Skip("nothing more happened in the window")
        total = sum(row.count for row in rows)
        subject = f"[{settings.YONGXU_SHOP_NAME}] {label}: {total} more"
        body = "\n".join(f"{row.count} × {row.message}" for row in rows)
        body += f"\n\n{settings.SITE_URL}/admin/ops/alert/?kind={payload['kind']} ({clock.now():%Y-%m-%d %H:%M} UTC)"
    send(effect, EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, settings.MERCHANT_EMAILS))
