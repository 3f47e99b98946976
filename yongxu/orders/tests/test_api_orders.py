"""POST /api/v1/orders: an order or a JSON refusal with a stable ``error`` code, and nothing behind it."""

import pytest

from yongxu.conftest import make_product
from yongxu.inventory.services import available_count
from yongxu.orders.models import Order

pytestmark = pytest.mark.django_db


def create(client, **body):
    return client.post("/api/v1/orders", body, content_type="application/json")


def test_a_valid_order_is_created(client, product, buyer_email, settings):
    response = create(client, product=product.slug, quantity=2, email=buyer_email)

    order = Order.objects.get()
    body = response.json()
    assert response.status_code == 201
    assert (body["number"], body["token"], body["status"]) == (order.number, order.token, "pending")
    assert (body["quantity"], body["amount"], body["currency"]) == (2, "19.98", "CNY")
    assert body["order_url"] == f"{settings.SITE_URL}/o/{order.token}/"
    assert body["items"] is None
    assert available_count(product) == 3


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"quantity": 0}, 422, "invalid_input"),
    ({"quantity": "two"}, 422, "invalid_input"),
    ({"quantity": None}, 422, "invalid_input"),
    ({"quantity": True}, 422, "invalid_input"),
    ({"quantity": "2"}, 422, "invalid_input"),
    ({"quantity": 2.5}, 422, "invalid_input"),
    ({"quantity": 11}, 400, "invalid_quantity"),
    ({"email": "not-an-email"}, 400, "invalid_email"),
    ({"product": "no-such-product"}, 404, "product_unavailable"),
    ({"quantity": 6}, 409, "out_of_stock"),
])
def test_a_refused_order_answers_a_stable_error_code_and_leaves_nothing(client, buyer_email, mailoutbox,
                                                                       body, status, error):
    stocked = make_product(keys=5, max_quantity=10)

    response = create(client, **{"product": stocked.slug, "quantity": 1, "email": buyer_email, **body})

    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["error"] == error
    assert Order.objects.count() == 0
    assert available_count(stocked) == 5
    assert mailoutbox == []


def test_out_of_stock_says_how_many_are_left(client, buyer_email):
    scarce = make_product(keys=2)

    response = create(client, product=scarce.slug, quantity=3, email=buyer_email)

    assert response.status_code == 409
    assert response.json() == {"error": "out_of_stock", "message": "Not enough stock for that quantity.",
                               "available": 2}


def test_a_missing_field_is_invalid_input(client, product):
    response = create(client, product=product.slug, quantity=1)

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert Order.objects.count() == 0


def test_a_body_that_is_not_json_is_invalid_input(client, product):
    response = client.post("/api/v1/orders", "quantity=1", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"
    assert Order.objects.count() == 0
