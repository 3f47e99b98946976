"""A self-hosted, hashcash-style proof of work: a client past a limit is asked to spend a fraction of a
second of CPU instead of being refused outright (a network shared by many buyers keeps buying; a
script pays for every extra order).

The challenge is ``1.<expires>.<bits>.<nonce>.<mac>`` (63 characters; the MAC, keyed with SECRET_KEY,
makes it self-checking: nothing is stored when it is issued). The answer is ``<challenge>:<counter>``
whose SHA-256 starts with ``bits`` zero bits — about 2**bits hashes to find, one to check. An answer is
accepted once, before the challenge expires; the single use is claimed in the shared rate-limit store,
so it holds across processes. ``yongxu/static/yongxu/pow.js`` solves it in the buy form; API clients
send the answer in the ``X-Proof-Of-Work`` header."""

import hashlib
import secrets
from datetime import UTC, datetime

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from yongxu.core import clock, ratelimit

VERSION = "1"
HEADER = "X-Proof-Of-Work"


def _mac(purpose: str, body: str) -> str:
    return salted_hmac(f"yongxu.limits.pow.{purpose}", body, algorithm="sha256").hexdigest()[:30]


def issue(purpose: str) -> dict:
    """A fresh challenge for ``purpose`` (e.g. ``"order"``), as the client is shown it."""
    bits = settings.YONGXU_POW_BITS
    expires = int(clock.now().timestamp()) + settings.YONGXU_POW_TTL_SECONDS
    body = f"{VERSION}.{expires:010d}.{bits:02d}.{secrets.token_hex(8)}"
    return {"challenge": f"{body}.{_mac(purpose, body)}", "bits": bits, "algorithm": "sha256",
            "expires_at": datetime.fromtimestamp(expires, UTC).isoformat(), "header": HEADER,
            "answer": "challenge:counter, where the SHA-256 of that text starts with `bits` zero bits"}


def solve(challenge: str, bits: int) -> str:
    """The answer to a challenge (what pow.js computes; for tests and API clients written in Python)."""
    counter = 0
    while not _enough_zeros(f"{challenge}:{counter}", bits):
        counter += 1
    return f"{challenge}:{counter}"


def accept(answer: str, purpose: str) -> bool:
    """True once for a right, unexpired answer to a challenge issued for ``purpose``; False otherwise
    (malformed, forged, expired, too few zero bits, or used before)."""
    challenge, sep, counter = (answer or "").rpartition(":")
    parts = challenge.split(".")
    if not sep or not (counter.isascii() and counter.isdigit() and len(counter) <= 20) or len(parts) != 5:
        return False
    version, expires, bits, nonce, mac = parts
    if version != VERSION or not constant_time_compare(mac, _mac(purpose, challenge.rpartition(".")[0])):
        return False
    now = int(clock.now().timestamp())
    if int(expires) <= now or not _enough_zeros(answer, int(bits)):
        return False
    return ratelimit.claim(f"pow:{nonce}", seconds=int(expires) - now)


def _enough_zeros(text: str, bits: int) -> bool:
    digest = int.from_bytes(hashlib.sha256(text.encode("ascii")).digest(), "big")
    return digest >> (256 - bits) == 0
