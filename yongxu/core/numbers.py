"""Text to numbers, strictly: the ASCII digits 0-9 only, and a bounded length.

Python is generous where a shop must not be: ``"²".isdigit()`` is true (and ``int("²")`` then raises),
``int("１")`` (full-width) and ``int("٣")`` (Arabic-Indic) succeed, ``Decimal("1e9")`` and ``Decimal("NaN")``
are numbers, and a million-digit string is a slow one. Every number a person or a client types goes
through these functions instead; they answer None for anything else, and the caller says why."""

import re
from datetime import timedelta
from decimal import Decimal

_SIGNED_INT = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"([0-9]+)(?:\.([0-9]+))?")


def parse_int(text: object, *, max_digits: int = 9, signed: bool = False) -> int | None:
    """A whole number written with at most ``max_digits`` ASCII digits (and a leading ``-`` when
    ``signed``), surrounding blanks allowed; None for anything else."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _SIGNED_INT.fullmatch(text) or (text[0] == "-" and not signed) or len(text.lstrip("-")) > max_digits:
        return None
    return int(text)


def parse_decimal(text: object, *, max_digits: int = 12, max_places: int = 8) -> Decimal | None:
    """A non-negative decimal such as ``9.99`` or ``10``: ASCII digits, at most ``max_digits`` before the
    point and ``max_places`` after it, no sign, exponent, NaN or infinity; None for anything else."""
    if not isinstance(text, str):
        return None
    match = _DECIMAL.fullmatch(text.strip())
    if match is None or len(match[1]) > max_digits or len(match[2] or "") > max_places:
        return None
    return Decimal(match[0])


_DURATION = re.compile(r"\s*(?:([0-9]{1,6})d)?\s*(?:([0-9]{1,6})h)?\s*(?:([0-9]{1,6})m)?\s*(?:([0-9]{1,6})s)?\s*")


def parse_duration(text: object, *, seconds: bool = True) -> timedelta | None:
    """A duration such as ``90m``, ``2h``, ``1h30m``, ``14d`` or (when ``seconds``) ``45s``: at most six
    ASCII digits per part; None for anything else (an empty text included)."""
    if not isinstance(text, str):
        return None
    match = _DURATION.fullmatch(text)
    if match is None or not any(match.groups()) or (match[4] and not seconds):
        return None
    days, hours, minutes, secs = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=secs)
