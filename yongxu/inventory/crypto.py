"""Encryption at rest for card keys (Fernet: AES-128-CBC + HMAC-SHA256) and their fingerprints."""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise ImproperlyConfigured("YONGXU_KEY_ENCRYPTION_KEY must be a Fernet key "
                                   "(32 bytes, urlsafe base64)") from exc


def encrypt(text: str) -> str:
    return _fernet(settings.KEY_ENCRYPTION_KEY).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.KEY_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("a card key cannot be decrypted: wrong YONGXU_KEY_ENCRYPTION_KEY?") from exc


def fingerprint(text: str) -> str:
    mac_key = hashlib.sha256(b"yongxu-fingerprint:" + settings.KEY_ENCRYPTION_KEY.encode()).digest()
    return hmac.new(mac_key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def mask(text: str) -> str:
    if len(text) <= 6:
        return "•" * len(text)
    return f"{text[:3]}{'•' * min(len(text) - 5, 12)}{text[-2:]}"
