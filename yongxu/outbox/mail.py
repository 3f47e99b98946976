"""E-mail as an outbox effect: at most once per effect, and a retry only when nothing was sent."""

import hashlib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from yongxu.outbox.models import Effect


def message_id(effect: Effect) -> str:
    """The same Message-ID every time this effect is sent, so mail clients can tell a resend by staff
    is the same message."""
    domain = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "localhost"
    return f"<{hashlib.sha256(effect.key.encode()).hexdigest()[:32]}@{domain}>"


def send(effect: Effect, message: EmailMessage) -> None:
    """Open the connection first (a refusal there sent nothing: retried), then hand the effect over, then
    send (a failure from here on may have reached the server: "maybe", unless the server refused it)."""
    message.extra_headers.setdefault("Message-ID", message_id(effect))
    connection = get_connection()
    connection.open()
    try:
        effect.hand_over()
        connection.send_messages([message])
    finally:
        connection.close()
