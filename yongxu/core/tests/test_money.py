from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yongxu.core.money import InvalidAmount, format_amount, from_minor_units, parse_amount, to_minor_units


@pytest.mark.parametrize(("text", "amount"), [("9.99", "9.99"), ("10", "10.00"), (" 0.10 ", "0.10"), ("100.0", "100.00")])
def test_gateway_amounts_parse_exactly(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("bad", ["", "abc", "9.999", "-1", "NaN", "Infinity", 9.99, True, None])
def test_anything_else_is_refused(bad):
    with pytest.raises(InvalidAmount):
        parse_amount(bad)


@given(st.integers(min_value=0, max_value=10**12))
def test_minor_units_round_trip(units):
    assert to_minor_units(from_minor_units(units)) == units
    assert parse_amount(format_amount(from_minor_units(units))) == from_minor_units(units)
