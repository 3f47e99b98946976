"""Order numbers are readable and unguessable; the order page's token is a long secret."""

import re

import pytest
import time_machine

from yongxu.catalog.models import DeliveryMode
from yongxu.conftest import make_product
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^YX\d{6}[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}$")


@time_machine.travel("2026-03-10 12:00:00+00:00", tick=False)
def test_a_number_is_the_date_then_ten_unambiguous_characters(buyer_email):
    order = place(make_product(delivery_mode=DeliveryMode.MANUAL), email=buyer_email)

    assert NUMBER.match(order.number)
    assert order.number.startswith("YX260310")


def test_two_hundred_orders_have_distinct_numbers_and_tokens(buyer_email):
    manual = make_product(delivery_mode=DeliveryMode.MANUAL)

    orders = [place(manual, email=buyer_email) for _ in range(200)]

    assert len({order.number for order in orders}) == 200
    assert len({order.number[8:] for order in orders}) == 200
    assert len({order.token for order in orders}) == 200
    assert all(NUMBER.match(order.number) for order in orders)
    assert min(len(order.token) for order in orders) >= 32
    assert all(order.number not in order.token for order in orders)
