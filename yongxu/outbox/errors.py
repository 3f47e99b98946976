"""What a handler may raise to say how its effect ended, besides succeeding."""

import smtplib


class Skip(Exception):  # noqa: N818 - a verdict, not an error
    """The effect is not needed any more (the window already started, the order was refunded…)."""


class Retry(Exception):  # noqa: N818
    """Not now; try again later (after the usual back-off, or ``after`` seconds)."""

    def __init__(self, message: str = "", *, after: int | None = None):
        super().__init__(message)
        self.after = after


class Permanent(Exception):
    """Trying again cannot help (the address is refused for good, the receiver said 4xx)."""


class ClaimLost(Exception):  # noqa: N818
    """Another worker holds this effect now: stop without doing anything."""


# Raised before the mail server accepted anything: trying again cannot deliver a message twice.
NOT_SENT_ERRORS = (smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError,
                   smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                   smtplib.SMTPNotSupportedError, ConnectionRefusedError)
