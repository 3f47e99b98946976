"""Guessing is slowed down: past YONGXU_LOOKUP_ATTEMPTS tries per client, lookup answers 429."""

import pytest
from django.urls import reverse

from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_attempts(settings):
    settings.YONGXU_LOOKUP_ATTEMPTS = 3


def guess(client, **extra):
    return client.post(reverse("lookup"), {"email": "buyer@example.com", "number": "YX000000AAAAAAAAAA"}, **extra)


def test_the_attempt_past_the_limit_is_refused_even_with_the_right_details(client, product, buyer_email):
    order = place(product, email=buyer_email)
    answers = [guess(client).status_code for _ in range(3)]

    refused = client.post(reverse("lookup"), {"email": buyer_email, "number": order.number})

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many attempts" in page
    assert order.token not in page


def test_another_client_is_not_held_back(client):
    for _ in range(4):
        guess(client)

    assert guess(client, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_wrong_query_passwords_on_the_order_page_count_too(client, product, buyer_email, settle):
    order = settle(place(product, email=buyer_email, query_password="open sesame"))
    unlock = reverse("order-unlock", args=[order.token])
    for _ in range(3):
        client.post(unlock, {"query_password": "guess"})

    page = client.post(unlock, {"query_password": "open sesame"}, follow=True).content.decode()

    assert "Too many attempts" in page
    assert "Show my keys" in page
    assert "KEY-" not in page
