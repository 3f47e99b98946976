"""The mail server is the outside world: a scripted e-mail backend stands in for it at Django's one seam
(EMAIL_BACKEND). Everything of ours — the order, the outbox, the handler — runs for real."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

#: What the mail server does on each next send: "ok", "killed before" (the worker dies before the server
#: hears of it), "killed after" (the server has it; the worker dies before it learns so), "refused" (the
#: server refuses the recipient: nothing sent), "dropped" (the connection drops mid-send: who knows).
SCRIPT: list[str] = []


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing of ours catches it."""


class ScriptedBackend(EmailBackend):
    def open(self):
        if SCRIPT and SCRIPT[0] == "killed before":
            SCRIPT.pop(0)
            raise WorkerKilled
        return super().open()

    def send_messages(self, messages):
        step = SCRIPT.pop(0) if SCRIPT else "ok"
        if step == "refused":
            raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no such user") for m in messages})
        if step == "dropped":
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        sent = super().send_messages(messages)
        if step == "killed after":
            raise WorkerKilled
        return sent
