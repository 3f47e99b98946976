"""State-changing API calls refuse what a cross-site form can send — text/plain (even holding JSON),
x-www-form-urlencoded, multipart — with 415 and nothing behind it, unless the call carries the shop's
CSRF token; application/json (with or without a charset) is what the API takes."""

import json

import pytest
from django.test import Client

from yongxu.inventory.services import available_count
from yongxu.orders.models import Order

pytestmark = pytest.mark.django_db


def _browser() -> Client:
    """A client that checks CSRF tokens as a real request is checked (Django's test client skips them)."""
    return Client(enforce_csrf_checks=True)


def _body(product) -> dict:
    return {"product": product.slug, "quantity": 5, "email": "victim@example.com"}


@pytest.mark.parametrize("content_type", ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", ""])
def test_a_cross_site_body_is_refused(product, mailoutbox, content_type):
    response = _browser().post("/api/v1/orders", json.dumps(_body(product)), content_type=content_type)

    assert response.status_code == 415
    assert response.json() == {"error": "unsupported_media_type",
                               "message": "Send the request body as JSON, with the header Content-Type: application/json."}
    assert Order.objects.count() == 0
    assert available_count(product) == 5
    assert mailoutbox == []


def test_lookup_and_payments_are_guarded_too(product):
    lookup = _browser().post("/api/v1/lookup", json.dumps({"email": "a@example.com", "number": "YX1"}),
                           content_type="text/plain")
    payment = _browser().post("/api/v1/orders/some-token/payments", json.dumps({"provider": "epay"}),
                            content_type="text/plain")

    assert (lookup.status_code, payment.status_code) == (415, 415)


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_json_is_taken(product, content_type):
    response = _browser().post("/api/v1/orders", json.dumps(_body(product)), content_type=content_type)

    assert response.status_code == 201
    assert Order.objects.count() == 1


def test_a_valid_csrf_token_lets_another_body_type_through(product):
    browser = _browser()
    browser.get(f"/p/{product.slug}/")
    token = browser.cookies["csrftoken"].value

    with_token = browser.post("/api/v1/orders", json.dumps(_body(product)), content_type="text/plain",
                              HTTP_X_CSRFTOKEN=token)
    wrong_token = browser.post("/api/v1/orders", json.dumps(_body(product)), content_type="text/plain",
                               HTTP_X_CSRFTOKEN="x" * 32)

    assert with_token.status_code == 201
    assert wrong_token.status_code == 415
    assert Order.objects.count() == 1
