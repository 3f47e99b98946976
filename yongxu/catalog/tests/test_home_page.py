"""The shop window lists visible products with a stock badge each."""

import re

import pytest
from django.urls import reverse

from yongxu.catalog.models import DeliveryMode
from yongxu.conftest import make_category, make_product
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db

CARD = re.compile(r"<h3>(?P<name>[^<]+)</h3>.*?<span class=\"badge (?P<kind>\w+)\">(?P<badge>[^<]+)</span>", re.S)


def badges(client) -> dict[str, tuple[str, str]]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {m["name"]: (m["kind"], m["badge"]) for m in CARD.finditer(response.content.decode())}


def test_every_visible_product_has_its_stock_badge(client):
    plenty = make_product(keys=12)
    few = make_product(keys=3)
    none = make_product(keys=0)
    manual = make_product(delivery_mode=DeliveryMode.MANUAL)
    link = make_product(reusable_key="https://dl.example/x")

    assert badges(client) == {
        plenty.name: ("ok", "12 in stock"),
        few.name: ("low", "Only 3 left"),
        none.name: ("out", "Sold out"),
        manual.name: ("ok", "Delivered by the merchant"),
        link.name: ("ok", "In stock"),
    }


def test_reserved_keys_are_not_counted_as_stock(client, product):
    place(product, quantity=2)

    assert badges(client)[product.name] == ("low", "Only 3 left")


def test_fewer_keys_than_the_minimum_order_is_sold_out(client):
    bundle = make_product(keys=2, min_quantity=3)

    assert badges(client)[bundle.name] == ("out", "Sold out")


def test_hidden_products_and_categories_are_not_shown(client):
    shown = make_product(keys=1)
    hidden = make_product(keys=1, visible=False)
    shelved = make_product(keys=1, category=make_category(visible=False))

    page = client.get(reverse("home")).content.decode()

    assert shown.name in page
    assert hidden.name not in page
    assert shelved.name not in page


def test_an_empty_shop_says_so(client, db):
    assert "Nothing for sale yet." in client.get(reverse("home")).content.decode()
