"""/lookup/ finds an order by number + e-mail or e-mail + query password, and answers every wrong
guess in the same words; it also lists the orders placed on this browser."""

import pytest
from django.test import Client
from django.urls import reverse

from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db

NO_MATCH = "No order matches these details."


def look_up(client, **form) -> str:
    response = client.post(reverse("lookup"), {"email": "", "number": "", "query_password": "", **form})
    assert response.status_code == 200
    return response.content.decode()


def test_number_and_email_find_the_order(client, product, buyer_email):
    order = place(product, email=buyer_email)

    page = look_up(client, email=buyer_email, number=order.number)

    assert reverse("order", args=[order.token]) in page
    assert NO_MATCH not in page


def test_the_number_may_be_typed_in_lower_case_and_the_email_in_any_case(client, product, buyer_email):
    order = place(product, email=buyer_email)

    page = look_up(client, email="BUYER@Example.com", number=f" {order.number.lower()} ")

    assert reverse("order", args=[order.token]) in page


def test_email_and_query_password_find_every_order_they_guard(client, product, buyer_email):
    first = place(product, email=buyer_email, query_password="open sesame")
    second = place(product, email=buyer_email, query_password="open sesame")
    other = place(product, email=buyer_email, query_password="another one")

    page = look_up(client, email=buyer_email, query_password="open sesame")

    assert first.number in page and second.number in page
    assert other.number not in page


@pytest.mark.parametrize("wrong", ["number", "email", "password", "nothing"])
def test_any_wrong_detail_gets_the_same_answer(client, product, buyer_email, wrong):
    order = place(product, email=buyer_email, query_password="open sesame")
    form = {
        "number": {"email": buyer_email, "number": "YX000000AAAAAAAAAA"},
        "email": {"email": "someone@example.com", "number": order.number},
        "password": {"email": buyer_email, "query_password": "guess"},
        "nothing": {"email": buyer_email},
    }[wrong]

    page = look_up(client, **form)

    assert NO_MATCH in page
    assert order.token not in page


def test_the_device_cookie_lists_the_orders_bought_on_this_browser(client, product, buyer_email):
    client.post(reverse("buy", args=[product.slug]), {"quantity": "1", "email": buyer_email, "provider": "epay"})
    client.post(reverse("buy", args=[product.slug]), {"quantity": "2", "email": buyer_email, "provider": "epay"})
    first, second = product.orders.order_by("pk")

    here = client.get(reverse("lookup")).content.decode()
    elsewhere = Client().get(reverse("lookup")).content.decode()

    assert "Orders on this device" in here
    assert here.index(second.number) < here.index(first.number)
    assert "Orders on this device" not in elsewhere
    assert first.number not in elsewhere


def test_a_tampered_device_cookie_is_ignored(client, product, buyer_email):
    order = place(product, email=buyer_email)
    client.cookies["yx_orders"] = order.token

    page = client.get(reverse("lookup")).content.decode()

    assert order.number not in page
