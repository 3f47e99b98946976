"""The product page's buy form: a refusal comes back with what was typed and says nothing was
ordered or charged; a good order goes straight to the gateway."""

import pytest
from django.urls import reverse

from yongxu.conftest import make_product
from yongxu.inventory.services import available_count
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.models import Payment

pytestmark = pytest.mark.django_db

NOTHING_HAPPENED = "No order was placed and nothing was charged."


def buy(client, product, **form):
    return client.post(reverse("buy", args=[product.slug]),
                       {"quantity": "1", "email": "buyer@example.com", "provider": "epay", **form})


NOT_ALLOWED = "That quantity is not allowed for this product."
LIMITS = "Choose between 1 and 10."


@pytest.mark.parametrize(("quantity", "message"), [("0", LIMITS), ("11", LIMITS), ("-1", NOT_ALLOWED), ("abc", NOT_ALLOWED),
                                                   ("1.5", NOT_ALLOWED), ("", NOT_ALLOWED), ("9999999", NOT_ALLOWED)])
def test_a_bad_quantity_re_renders_the_form_and_orders_nothing(client, product, mailoutbox, quantity, message):
    response = buy(client, product, quantity=quantity, email="typed@example.com")

    page = response.content.decode()
    assert response.status_code == 400
    assert NOTHING_HAPPENED in page
    assert 'value="typed@example.com"' in page
    assert message in page
    assert Order.objects.count() == 0
    assert Payment.objects.count() == 0
    assert available_count(product) == 5
    assert mailoutbox == []


def test_a_bad_email_keeps_the_quantity(client, product):
    response = buy(client, product, quantity="3", email="not-an-email")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Please enter a valid e-mail address." in page
    assert 'value="3"' in page
    assert NOTHING_HAPPENED in page
    assert Order.objects.count() == 0


def test_more_than_the_stock_is_refused_with_a_conflict(client):
    scarce = make_product(keys=2)

    response = buy(client, scarce, quantity="3")

    assert response.status_code == 409
    assert NOTHING_HAPPENED in response.content.decode()
    assert Order.objects.count() == 0
    assert available_count(scarce) == 2


def test_a_hidden_product_cannot_be_bought(client):
    hidden = make_product(keys=2, visible=False)

    assert buy(client, hidden).status_code == 404
    assert Order.objects.count() == 0


def test_a_good_order_goes_to_the_epay_gateway(client, product, settings):
    response = buy(client, product, quantity="2")

    order = Order.objects.get()
    payment = Payment.objects.get(order=order)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.EPAY_GATEWAY_URL + "submit.php?")
    assert f"out_trade_no={payment.reference}" in response["Location"]
    assert "money=19.98" in response["Location"]
    assert (order.status, order.quantity, order.email) == (OrderStatus.PENDING, 2, "buyer@example.com")
    assert available_count(product) == 3
    assert "yx_orders" in response.cookies


def test_an_unknown_payment_method_keeps_the_order_and_says_so(client, product):
    response = buy(client, product, provider="bitcoin", quantity="1")

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("order", args=[order.token])
    assert Payment.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "The payment could not be started" in page
