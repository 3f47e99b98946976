"""Money is Decimal with two places, never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


class InvalidAmount(ValueError):
    pass


def parse_amount(value: object) -> Decimal:
    """Parse a gateway's amount text ("9.99", "10", "10.00") strictly; refuse floats and junk."""
    if isinstance(value, float | bool):
        raise InvalidAmount("amounts are never floats")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidAmount(f"not an amount: {value!r}") from exc
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise InvalidAmount(f"not an amount: {value!r}")
    return amount.quantize(CENT)


def quantize(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal) -> str:
    return str(quantize(amount))


def to_minor_units(amount: Decimal) -> int:
    return int(quantize(amount) * 100)


def from_minor_units(units: int) -> Decimal:
    return (Decimal(units) / 100).quantize(CENT)
