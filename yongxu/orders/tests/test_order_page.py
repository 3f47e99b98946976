"""The order page shows the keys once delivered; a query password keeps them hidden until it is given."""

import pytest
from django.urls import reverse

from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(product):
    return [f"KEY-{product.pk}-00000", f"KEY-{product.pk}-00001"]


def test_a_delivered_order_shows_its_keys(client, product, buyer_email, settle, keys):
    order = settle(place(product, email=buyer_email, quantity=2))

    page = client.get(reverse("order", args=[order.token])).content.decode()

    assert order.number in page
    assert "Your keys" in page
    assert all(key in page for key in keys)


def test_an_unpaid_order_offers_payment_and_shows_no_key(client, product, buyer_email):
    order = place(product, email=buyer_email, quantity=2)

    page = client.get(reverse("order", args=[order.token])).content.decode()

    assert "Pay now" in page
    assert "KEY-" not in page


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("order", args=["no-such-token"])).status_code == 404


def test_a_guarded_order_hides_its_keys_behind_the_password(client, product, buyer_email, settle, keys):
    order = settle(place(product, email=buyer_email, quantity=2, query_password="open sesame"))

    page = client.get(reverse("order", args=[order.token])).content.decode()

    assert "Show my keys" in page
    assert "KEY-" not in page


def test_the_wrong_password_says_so_and_shows_no_key(client, product, buyer_email, settle):
    order = settle(place(product, email=buyer_email, quantity=2, query_password="open sesame"))

    response = client.post(reverse("order-unlock", args=[order.token]), {"query_password": "guess"}, follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(reverse("order", args=[order.token]), 302)]
    assert "The query password is not correct." in page
    assert "KEY-" not in page


def test_the_right_password_shows_the_keys_for_this_browser_only(client, product, buyer_email, settle, keys):
    order = settle(place(product, email=buyer_email, quantity=2, query_password="open sesame"))

    response = client.post(reverse("order-unlock", args=[order.token]), {"query_password": "open sesame"},
                           follow=True)

    assert all(key in response.content.decode() for key in keys)
    client.logout()  # a new session: the unlock does not travel with the link
    assert "KEY-" not in client.get(reverse("order", args=[order.token])).content.decode()
