"""Money is Decimal with two places, never float."""

from decimal import ROUND_HALF_UP, Decimal

from yongxu.core.numbers import parse_decimal

CENT = Decimal("0.01")


class InvalidAmount(ValueError):
    pass


def parse_amount(value: object) -> Decimal:
    """Parse a gateway's amount text ("9.99", "10", "10.00") strictly; refuse floats and junk (signs,
    exponents, digits other than ASCII 0-9)."""
    if isinstance(value, float | bool):
        raise InvalidAmount("amounts are never floats")
    amount = value if isinstance(value, Decimal) else parse_decimal(str(value) if isinstance(value, int) else value)
    if amount is None or not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
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
