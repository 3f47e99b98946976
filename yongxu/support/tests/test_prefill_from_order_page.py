"""From an order page, "Contact support about this order" prefills the order number, and the e-mail
too, but only for a browser that has opened that order's page: a number alone reveals nothing."""

import pytest
from django.urls import reverse

from yongxu.support.tests.factories import BUYER, paid_order

pytestmark = pytest.mark.django_db


def test_the_order_page_links_to_support_with_its_number(client, product):
    order = paid_order(product)

    page = client.get(reverse("order", args=[order.token])).content.decode()

    assert f'href="/support/?order={order.number}"' in page
    assert "Contact support about this order" in page


def test_a_browser_that_opened_the_order_gets_number_and_email_prefilled(client, product):
    order = paid_order(product)
    client.get(reverse("order", args=[order.token]))

    page = client.get(reverse("support"), {"order": order.number}).content.decode()

    assert f'value="{order.number}"' in page
    assert f'value="{BUYER}"' in page


def test_another_browser_gets_only_the_number(client, product):
    order = paid_order(product)

    page = client.get(reverse("support"), {"order": order.number}).content.decode()

    assert f'value="{order.number}"' in page
    assert BUYER not in page
