"""A NUL byte anywhere in a request — path, query, form field, JSON string, header, cookie — is refused at
the door with a 400 that says so (PostgreSQL cannot store it, so it used to be a 500), and nothing is done."""

import json

import pytest
from django.urls import reverse

from yongxu.coupons.models import Redemption
from yongxu.orders.models import Order
from yongxu.orders.tests.factories import place
from yongxu.support.models import Ticket

pytestmark = pytest.mark.django_db

REFUSED = "The request contains characters that cannot be accepted"


def assert_refused_page(response) -> None:
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert REFUSED in response.content.decode()


def assert_refused_json(response) -> None:
    assert response.status_code == 400
    assert response.json()["error"] == "bad_input"
    assert response.json()["message"].startswith(REFUSED)


def test_in_a_product_slug(client, product):
    assert_refused_page(client.get(f"/p/{product.slug}%00/"))
    assert_refused_json(client.get(f"/api/v1/products/{product.slug}%00"))


def test_in_an_order_token(client, product):
    order = place(product)

    assert_refused_page(client.get(f"/o/{order.token}%00/"))
    assert_refused_json(client.get(f"/api/v1/orders/{order.token}%00"))
    assert_refused_page(client.post(f"/o/{order.token}%00/pay/", {"provider": "epay"}))
    assert order.payments.count() == 0


def test_in_a_lookup_number(client, product, buyer_email):
    order = place(product, email=buyer_email)

    assert_refused_page(client.post(reverse("lookup"), {"email": buyer_email, "number": f"{order.number}\x00"}))
    assert_refused_json(client.post("/api/v1/lookup", {"email": buyer_email, "number": f"{order.number}\x00"},
                                    content_type="application/json"))


def test_in_a_coupon(client, product, buyer_email):
    assert_refused_page(client.get(reverse("quote", args=[product.slug]), {"quantity": "1", "coupon": "SAVE\x0010"}))
    assert_refused_page(client.post(reverse("buy", args=[product.slug]), {
        "quantity": "1", "email": buyer_email, "provider": "epay", "coupon": "SAVE\x0010"}))
    assert Order.objects.count() == 0
    assert Redemption.objects.count() == 0


def test_in_a_form_field(client, mailoutbox):
    response = client.post(reverse("support"), {"subject": "Key\x00 does not work", "message": "Help",
                                                "email": "buyer@example.com"})

    assert_refused_page(response)
    assert Ticket.objects.count() == 0
    assert mailoutbox == []


def test_in_a_json_field(client, product):
    for body in (json.dumps({"product": product.slug, "quantity": 1, "email": "buyer@example.com\u0000"}),
                 '{"product": "' + product.slug + '", "quantity": 1, "email": "buyer@example.com", '
                 '"query_password": "a\\u0000b"}'):
        assert_refused_json(client.post("/api/v1/orders", body, content_type="application/json"))
    assert Order.objects.count() == 0


def test_in_a_header(client, product):
    assert_refused_page(client.get(f"/p/{product.slug}/", HTTP_USER_AGENT="Mozilla\x00"))
    assert_refused_json(client.get("/api/v1/products", HTTP_X_QUERY_PASSWORD="a\x00b"))


def test_in_a_cookie(client, product):
    # A quoted cookie value spells it "\000"; the session would look it up in the database.
    assert_refused_page(client.get(f"/p/{product.slug}/", HTTP_COOKIE='sessionid="abc\\000def"'))


def test_in_the_query_string(client, product):
    assert_refused_page(client.get("/lookup/", {"order": "YX\x00"}))
    assert_refused_page(client.get("/support/?order=YX%00"))
