"""GET /api/v1/orders/{token} shows keys only once delivered, and only with the query password when
the order has one; POST …/payments starts a payment; POST /api/v1/lookup finds orders."""

import pytest

from yongxu.orders.tests.factories import place
from yongxu.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(product):
    return [f"KEY-{product.pk}-00000", f"KEY-{product.pk}-00001"]


def test_an_unpaid_order_has_no_items(client, product, buyer_email):
    order = place(product, email=buyer_email, quantity=2)

    body = client.get(f"/api/v1/orders/{order.token}").json()

    assert (body["status"], body["items"], body["paid_at"]) == ("pending", [], None)


def test_a_delivered_order_lists_its_keys(client, product, buyer_email, settle, keys):
    order = settle(place(product, email=buyer_email, quantity=2))

    body = client.get(f"/api/v1/orders/{order.token}").json()

    assert body["status"] == "delivered"
    assert body["items"] == keys


@pytest.mark.parametrize("headers", [{}, {"X-Query-Password": "guess"}])
def test_a_guarded_order_hides_its_keys_without_the_right_password(client, product, buyer_email, settle, headers):
    order = settle(place(product, email=buyer_email, quantity=2, query_password="open sesame"))

    response = client.get(f"/api/v1/orders/{order.token}", headers=headers)

    assert response.status_code == 200
    assert response.json()["status"] == "delivered"
    assert response.json()["items"] is None
    assert "KEY-" not in response.content.decode()


def test_a_guarded_order_shows_its_keys_with_the_password_header(client, product, buyer_email, settle, keys):
    order = settle(place(product, email=buyer_email, quantity=2, query_password="open sesame"))

    response = client.get(f"/api/v1/orders/{order.token}", headers={"X-Query-Password": "open sesame"})

    assert response.json()["items"] == keys


def test_an_unknown_token_is_not_found(client):
    response = client.get("/api/v1/orders/no-such-token")

    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "Not found."}


def test_starting_a_payment_returns_where_to_send_the_buyer(client, product, buyer_email, settings):
    order = place(product, email=buyer_email)

    response = client.post(f"/api/v1/orders/{order.token}/payments", {"provider": "epay"},
                           content_type="application/json")

    payment = Payment.objects.get(order=order)
    assert response.status_code == 201
    assert response.json()["redirect_url"].startswith(settings.EPAY_GATEWAY_URL + "submit.php?")
    assert f"out_trade_no={payment.reference}" in response.json()["redirect_url"]


def test_an_unknown_payment_method_is_refused(client, product, buyer_email):
    order = place(product, email=buyer_email)

    response = client.post(f"/api/v1/orders/{order.token}/payments", {"provider": "bitcoin"},
                           content_type="application/json")

    assert response.status_code == 404
    assert response.json()["error"] == "unknown_provider"
    assert Payment.objects.count() == 0


def test_a_paid_order_cannot_be_paid_again(client, product, buyer_email, settle):
    order = settle(place(product, email=buyer_email))

    response = client.post(f"/api/v1/orders/{order.token}/payments", {"provider": "epay"},
                           content_type="application/json")

    assert response.status_code == 409
    assert response.json()["error"] == "cannot_pay"
    assert Payment.objects.filter(order=order).count() == 1


def test_lookup_finds_by_number_and_email_and_answers_an_empty_list_otherwise(client, product, buyer_email):
    order = place(product, email=buyer_email)

    found = client.post("/api/v1/lookup", {"email": buyer_email, "number": order.number},
                        content_type="application/json")
    missed = client.post("/api/v1/lookup", {"email": "someone@example.com", "number": order.number},
                         content_type="application/json")

    assert [(row["number"], row["token"], row["status"]) for row in found.json()] == [
        (order.number, order.token, "pending")]
    assert missed.status_code == 200
    assert missed.json() == []


def test_lookup_is_rate_limited(client, settings):
    settings.YONGXU_LOOKUP_ATTEMPTS = 2
    body = {"email": "buyer@example.com", "number": "YX000000AAAAAAAAAA"}
    statuses = [client.post("/api/v1/lookup", body, content_type="application/json").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
