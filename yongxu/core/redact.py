"""Secrets out of logs. A URL that opens an order, a ticket or a signed link is a password: access logs
(gunicorn: ``yongxu.ops.accesslog``) and our own log lines (Django's ``django.request`` names the path
of every 4xx/5xx) write it with the secret part replaced by ``[redacted]``.

``redact`` is conservative: it hides the segment after each prefix below, query values whose name says
secret (and e-mail addresses), and any query value that looks like a token. A test walks every route
with a secret parameter and checks it is covered here."""

import logging
import re
from urllib.parse import unquote

REDACTED = "[redacted]"

# Routes whose next path segment is a secret: the order page and its API, a support ticket's link, the
# maintenance bypass link, signed links (notices' confirm and unsubscribe, account verification), and a
# password-reset link (after the user's id).
_SECRET_SEGMENT = re.compile(
    r"(?P<prefix>/(?:o|api/v1/orders|support/t|maintenance/bypass|status/confirm|status/unsubscribe|account/verify|account/unlock)/"
    r"|/account/password-reset/[^/?#\s\"]+/)"
    r"(?!resend/)(?P<secret>[^/?#&\s\"]+)")
# Query values: by name (password, token, secret, key, sign…, a coupon code — single-use codes are given to one
# buyer —, an e-mail address), or by looks (a long token).
_QUERY_VALUE = re.compile(r"(?P<name>[?&;](?P<key>[^=&#\s\"]*))=(?P<value>[^&#\s\"]*)")
_SECRET_NAME = re.compile(r"pass|token|secret|key|sign|sig$|auth|code|coupon|session|csrf|mail", re.IGNORECASE)
_TOKEN_LIKE = re.compile(r"(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_\-:.~+/=]{20,}")
# Request headers that carry a secret whatever their value looks like.
SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "x-query-password", "x-csrftoken"})


def redact(text: str) -> str:
    """``text`` (a path, a URL, a request line, a log message) with its secrets replaced."""
    if "/" not in text and "=" not in text:
        return text
    text = _SECRET_SEGMENT.sub(lambda m: m["prefix"] + REDACTED, text)
    return _QUERY_VALUE.sub(_query_value, text)


def _query_value(match: re.Match) -> str:
    value = match["value"]
    if not value or value == REDACTED:
        return match[0]
    decoded = unquote(value.replace("+", " "))
    if (_SECRET_NAME.search(match["key"]) or _TOKEN_LIKE.fullmatch(decoded)
            or _SECRET_SEGMENT.search(decoded) or "@" in decoded):
        return f"{match['name']}={REDACTED}"
    return match[0]


class RedactFilter(logging.Filter):
    """A logging filter (settings.LOGGING) that redacts every record's message, with its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
