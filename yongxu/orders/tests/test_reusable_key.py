"""A reusable key (循环卡密) is given to every buyer and never runs out."""

import pytest

from yongxu.conftest import mails, make_product
from yongxu.inventory.models import CardKey
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import delivered_items
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


def test_two_buyers_receive_the_same_key(settle, mailoutbox):
    link = make_product(reusable_key="https://dl.example/x")

    first = settle(place(link, email="first@example.com", quantity=1))
    second = settle(place(link, email="second@example.com", quantity=3))

    assert (first.status, second.status) == (OrderStatus.DELIVERED, OrderStatus.DELIVERED)
    assert delivered_items(first) == ["https://dl.example/x"]
    assert delivered_items(second) == ["https://dl.example/x"]
    keys = mails(mailoutbox, "orders/email/delivered")
    assert sorted(message.to[0] for message in keys) == ["first@example.com", "second@example.com"]
    assert all("https://dl.example/x" in message.body for message in keys)
    assert CardKey.objects.filter(product=link).count() == 0
