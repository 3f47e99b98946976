"""My orders: orders placed while signed in, plus guest orders to the same address once it is verified;
never somebody else's."""

import pytest
from django.test import Client

from yongxu.accounts import services
from yongxu.accounts.tests.conftest import sign_in
from yongxu.conftest import make_product
from yongxu.orders.services import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_product(db):
    return make_product(keys=10)


def _numbers(response) -> list[str]:
    return [o.number for o in response.context["orders"]]


def test_a_verified_buyer_sees_own_and_guest_orders(client, ann, make_buyer, shop_product):
    bob = make_buyer("bob@example.com")
    signed_in = place_order(shop_product, quantity=1, email="ann+gifts@example.com", user=ann)
    guest = place_order(shop_product, quantity=2, email="Ann@Example.com")
    bobs = place_order(shop_product, quantity=1, email="bob@example.com", user=bob)
    strangers = place_order(shop_product, quantity=1, email="carol@example.com")
    sign_in(client)

    response = client.get("/account/orders/")

    assert response.status_code == 200
    assert _numbers(response) == [guest.number, signed_in.number]
    page = response.content.decode()
    assert f'href="/o/{guest.token}/"' in page and f'href="/o/{signed_in.token}/"' in page
    assert bobs.token not in page and strangers.token not in page


def test_an_unverified_buyer_sees_only_signed_in_orders(client, make_buyer, shop_product):
    ann = make_buyer("ann@example.com", verified=False)
    own = place_order(shop_product, quantity=1, email="ann@example.com", user=ann)
    guest = place_order(shop_product, quantity=1, email="ann@example.com")
    sign_in(client)

    response = client.get("/account/orders/")

    assert _numbers(response) == [own.number]
    assert guest.token not in response.content.decode()
    assert "Your e-mail address is not verified yet." in response.content.decode()


def test_a_guest_order_claimed_by_another_signed_in_buyer_stays_theirs(ann, make_buyer, shop_product):
    bob = make_buyer("bob@example.com")
    place_order(shop_product, quantity=1, email="ann@example.com", user=bob)

    assert list(services.my_orders(ann)) == []


def test_buying_while_signed_in_links_the_order(client, ann, shop_product):
    sign_in(client)

    client.post(f"/p/{shop_product.slug}/buy/", {"quantity": "1", "email": "ann@example.com", "provider": "epay"})

    order = services.my_orders(ann).get()
    assert order.user == ann


def test_signed_out_visitors_are_sent_to_sign_in(db):
    response = Client().get("/account/orders/")

    assert (response.status_code, response["Location"]) == (302, "/account/login/?next=/account/orders/")
