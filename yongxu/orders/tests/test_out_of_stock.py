"""Asking for more keys than are left is refused whole: no order, no key taken."""

import pytest

from yongxu.conftest import make_product
from yongxu.inventory.models import CardKey, KeyStatus
from yongxu.inventory.services import available_count
from yongxu.orders.errors import OutOfStock
from yongxu.orders.models import Order
from yongxu.orders.services import place_order
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


def test_more_than_the_stock_is_refused_and_nothing_is_reserved(buyer_email, mailoutbox):
    scarce = make_product(keys=2)

    with pytest.raises(OutOfStock) as refused:
        place_order(scarce, quantity=3, email=buyer_email)

    assert refused.value.as_dict()["available"] == 2
    assert Order.objects.count() == 0
    assert available_count(scarce) == 2
    assert CardKey.objects.filter(product=scarce).exclude(status=KeyStatus.AVAILABLE).count() == 0
    assert mailoutbox == []


def test_keys_reserved_by_an_unpaid_order_are_not_sold_again(buyer_email):
    scarce = make_product(keys=2)
    first = place(scarce, email=buyer_email, quantity=2)

    with pytest.raises(OutOfStock):
        place(scarce, email="second@example.com", quantity=1)

    assert list(Order.objects.values_list("pk", flat=True)) == [first.pk]
    assert CardKey.objects.filter(order=first, status=KeyStatus.RESERVED).count() == 2


def test_a_product_without_keys_is_out_of_stock(buyer_email):
    empty = make_product(keys=0)

    with pytest.raises(OutOfStock):
        place(empty, email=buyer_email)

    assert Order.objects.count() == 0
