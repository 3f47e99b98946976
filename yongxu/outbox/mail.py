"""E-mail as an outbox effect: at most once per effect, and a retry only when nothing was sent.

Over SMTP the effect is handed over at the last possible moment: after the server has accepted the sender
and a recipient, right before DATA. A worker that dies before that point sent nothing (the e-mail is sent
again); only a death during DATA leaves the doubt ("maybe sent")."""

import hashlib
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import sanitize_address

from yongxu.outbox.models import Effect


def message_id(effect: Effect) -> str:
    """The same Message-ID every time this effect is sent, so mail clients can tell a resend by staff
    is the same message."""
    domain = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "localhost"
    return f"<{hashlib.sha256(effect.key.encode()).hexdigest()[:32]}@{domain}>"


def send(effect: Effect, message: EmailMessage) -> None:
    """Open the connection first (a refusal there sent nothing: retried), then hand the effect over and send
    (a failure from then on may have reached the server: "maybe", unless the server refused it)."""
    message.extra_headers.setdefault("Message-ID", message_id(effect))
    connection = get_connection()
    connection.open()
    try:
        smtp = getattr(connection, "connection", None)
        if isinstance(smtp, smtplib.SMTP):
            _send_over_smtp(effect, smtp, message)
        else:  # files, memory: nothing between the hand-over and the message being kept
            effect.hand_over()
            connection.send_messages([message])
    finally:
        connection.close()


def _send_over_smtp(effect: Effect, smtp: smtplib.SMTP, message: EmailMessage) -> None:
    """smtplib's sendmail, with the hand-over between the envelope and the data."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if len(refused) == len(recipients):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    effect.hand_over()
    code, reply = smtp.data(data)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPDataError(code, reply)
