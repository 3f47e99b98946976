"""GET /api/v1/orders/{token} takes the query password from the X-Query-Password header only: a URL is
written to access logs and histories, so ``?query_password=`` gets a clear 400 and no keys."""

import pytest

from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


def test_a_password_in_the_url_is_refused_with_what_to_do(client, product, buyer_email, settle):
    order = settle(place(product, email=buyer_email, quantity=2, query_password="open sesame"))

    response = client.get(f"/api/v1/orders/{order.token}?query_password=open+sesame")

    assert response.status_code == 400
    assert response.json() == {
        "error": "query_password_in_url",
        "message": "Send the query password in the X-Query-Password header, not in the URL: URLs are written to logs."}
    assert "KEY-" not in response.content.decode()


def test_the_refusal_does_not_depend_on_the_token(client):
    response = client.get("/api/v1/orders/no-such-token?query_password=guess")

    assert (response.status_code, response.json()["error"]) == (400, "query_password_in_url")


def test_the_header_is_what_the_api_document_describes(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/orders/{token}"]["get"]

    assert [(p["in"], p["name"]) for p in operation["parameters"]] == [("path", "token"), ("header", "X-Query-Password")]
