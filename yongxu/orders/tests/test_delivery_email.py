"""After payment the buyer gets one e-mail, plain text and HTML, with the keys unless a query password
guards them."""

import pytest

from yongxu.orders.models import OrderStatus
from yongxu.orders.services import delivered_items
from yongxu.orders.tests.factories import pay, place

pytestmark = pytest.mark.django_db


def html_of(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def test_a_paid_order_is_delivered_with_its_keys_in_one_email(product, buyer_email, settle, buyer_mail, settings):
    order = settle(place(product, email=buyer_email, quantity=2))

    keys = [f"KEY-{product.pk}-00000", f"KEY-{product.pk}-00001"]
    assert order.status == OrderStatus.DELIVERED
    assert delivered_items(order) == keys
    [message] = buyer_mail()
    assert message.subject == f"Your order {order.number}: your keys"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    for key in keys:
        assert key in message.body
        assert key in html_of(message)
    assert f"{settings.SITE_URL}/o/{order.token}/" in message.body
    assert order.delivery_emailed_at is not None


def test_with_a_query_password_the_email_links_to_the_order_but_holds_no_key(product, buyer_email, settle,
                                                                             buyer_mail, settings):
    order = settle(place(product, email=buyer_email, quantity=2, query_password="open sesame"))

    [message] = buyer_mail()
    assert order.status == OrderStatus.DELIVERED
    assert "protected by your query password" in message.body
    assert f"{settings.SITE_URL}/o/{order.token}/" in message.body
    for key in delivered_items(order):
        assert key not in message.body
        assert key not in html_of(message)
    assert "KEY-" not in message.body + html_of(message)


def test_without_the_commit_no_email_is_sent(product, buyer_email, buyer_mail, django_capture_on_commit_callbacks):
    order = place(product, email=buyer_email)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = pay(order)

    assert order.status == OrderStatus.DELIVERED
    assert len(callbacks) == 1
    assert buyer_mail() == []
