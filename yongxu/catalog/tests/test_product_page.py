"""A product's page: what it is, its price, its stock, and the buy form unless it is sold out."""

import pytest
from django.urls import reverse

from yongxu.conftest import make_product

pytestmark = pytest.mark.django_db


def test_the_product_page_shows_the_product_and_the_buy_form(client, product):
    response = client.get(reverse("product", args=[product.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert product.name in page
    assert "9.99 CNY" in page
    assert "Only 5 left" in page
    assert f'action="{reverse("buy", args=[product.slug])}"' in page
    assert 'name="quantity"' in page and 'min="1"' in page and 'max="10"' in page
    assert 'value="epay"' in page


def test_a_sold_out_product_has_no_buy_form(client):
    empty = make_product(keys=0)

    page = client.get(reverse("product", args=[empty.slug])).content.decode()

    assert "This product is sold out." in page
    assert reverse("buy", args=[empty.slug]) not in page


@pytest.mark.parametrize("slug", ["no-such-product", "hidden"])
def test_an_unknown_or_hidden_product_is_not_found(client, slug):
    make_product(keys=1, visible=False, slug="hidden")

    assert client.get(reverse("product", args=[slug])).status_code == 404
