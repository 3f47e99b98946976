"""One e-mail address places at most 10 orders an hour, from any clients: the 11th is a 429 with
Retry-After and sends no mail; the next hour it may order again."""

import pytest
import time_machine
from django.test import Client

from yongxu.conftest import make_product
from yongxu.orders.models import Order

pytestmark = pytest.mark.django_db


def _order(product, n: int):
    return Client(REMOTE_ADDR=f"198.51.100.{n}").post(
        "/api/v1/orders", {"product": product.slug, "quantity": 1, "email": "Victim@Example.com"},
        content_type="application/json")


def test_the_eleventh_order_for_one_address_is_refused(mailoutbox):
    product = make_product(keys=20)
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        answers = [_order(product, n).status_code for n in range(10)]
        clock.shift(20 * 60)
        mail_before = len(mailoutbox)
        eleventh = _order(product, 10)
        clock.shift(40 * 60)
        next_hour = _order(product, 11)

    assert answers == [201] * 10
    assert eleventh.status_code == 429
    assert eleventh["Retry-After"] == "2400"
    assert eleventh.json()["error"] == "too_many_orders"
    assert eleventh.json()["message"] == ("This e-mail address has placed many orders in a short time. "
                                          "Please try again in 40 minutes.")
    assert len(mailoutbox) == mail_before
    assert next_hour.status_code == 201
    assert Order.objects.count() == 11
