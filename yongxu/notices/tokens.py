"""Signed links buyers click without signing in: unsubscribe (one click, never expires) and
confirm a status subscription (double opt-in, valid for a week). Any node can check them."""

from django.core import signing

UNSUBSCRIBE_SALT = "yongxu.notices.unsubscribe"
CONFIRM_SALT = "yongxu.notices.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def unsubscribe_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=UNSUBSCRIBE_SALT, compress=True)


def email_from_unsubscribe(token: str) -> str | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def confirm_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=CONFIRM_SALT, compress=True)


def email_from_confirm(token: str) -> str | None:
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
