"""A refused order leaves nothing behind: no order row, no reserved key, no e-mail."""

from decimal import Decimal

import pytest

from yongxu.conftest import make_category, make_product
from yongxu.inventory.services import available_count
from yongxu.orders.errors import InvalidEmail, InvalidQuantity, ProductUnavailable
from yongxu.orders.models import Order
from yongxu.orders.services import place_order

pytestmark = pytest.mark.django_db


def assert_nothing_happened(product, stock, mailoutbox):
    assert Order.objects.count() == 0
    assert available_count(product) == stock
    assert mailoutbox == []


@pytest.mark.parametrize("quantity", [0, -1, 11, 1000000, "2", 2.0, True, None])
def test_a_quantity_outside_the_products_rules_is_refused(product, buyer_email, mailoutbox, quantity):
    with pytest.raises(InvalidQuantity) as refused:
        place_order(product, quantity=quantity, email=buyer_email)

    assert refused.value.code == "invalid_quantity"
    assert_nothing_happened(product, 5, mailoutbox)


def test_the_quantity_limits_are_told_to_the_buyer(product, buyer_email):
    with pytest.raises(InvalidQuantity) as refused:
        place_order(product, quantity=11, email=buyer_email)

    assert refused.value.as_dict() == {"error": "invalid_quantity", "message": "Choose between 1 and 10.",
                                       "minimum": 1, "maximum": 10}


def test_an_order_above_the_shops_largest_payment_is_refused(buyer_email, mailoutbox):
    expensive = make_product(keys=3, price=Decimal("60000.00"))

    with pytest.raises(InvalidQuantity):
        place_order(expensive, quantity=2, email=buyer_email)

    assert_nothing_happened(expensive, 3, mailoutbox)


@pytest.mark.parametrize("email", ["", "   ", "buyer", "buyer@", "@example.com", "buyer@exa mple.com",
                                   "buyer@example.com\nBcc: x@example.com"])
def test_an_invalid_email_is_refused(product, mailoutbox, email):
    with pytest.raises(InvalidEmail):
        place_order(product, quantity=1, email=email)

    assert_nothing_happened(product, 5, mailoutbox)


def test_the_email_domain_is_stored_in_lower_case_and_the_local_part_as_typed(product):
    order = place_order(product, quantity=1, email="  Buyer.Name@Example.COM ")

    assert order.email == "Buyer.Name@example.com"


def test_a_hidden_product_cannot_be_bought(buyer_email, mailoutbox):
    hidden = make_product(keys=2, visible=False)

    with pytest.raises(ProductUnavailable):
        place_order(hidden, quantity=1, email=buyer_email)

    assert_nothing_happened(hidden, 2, mailoutbox)


def test_a_product_in_a_hidden_category_cannot_be_bought(buyer_email, mailoutbox):
    shelved = make_product(keys=2, category=make_category(visible=False))

    with pytest.raises(ProductUnavailable):
        place_order(shelved, quantity=1, email=buyer_email)

    assert_nothing_happened(shelved, 2, mailoutbox)
