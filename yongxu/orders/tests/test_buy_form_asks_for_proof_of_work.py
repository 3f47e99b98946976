"""Past the client's order limit, the buy form comes back (429, Retry-After) with a proof-of-work
challenge for pow.js and what was typed; sent again with the answer, the order goes to the gateway.
A buyer who typed a query password is asked to type it again instead of the form sending itself."""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from yongxu.conftest import make_product
from yongxu.inventory.services import available_count
from yongxu.limits.pow import solve
from yongxu.orders.models import Order

pytestmark = pytest.mark.django_db

CHALLENGE = re.compile(r'name="pow" value="" data-pow-challenge="([^"]+)" data-pow-bits="(\d+)"( data-pow-autosubmit)?')


@pytest.fixture
def limits(settings):
    settings.YONGXU_ORDERS_PER_CLIENT = 1
    settings.YONGXU_POW_BITS = 8


def _buy(client, product, **form):
    return client.post(reverse("buy", args=[product.slug]),
                       {"quantity": "1", "email": "typed@example.com", "provider": "epay", **form})


def test_the_form_carries_a_challenge_and_its_answer_places_the_order(limits):
    product = make_product(keys=5)
    client = Client(REMOTE_ADDR="203.0.113.70")
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        _buy(client, product)
        asked = _buy(client, product, coupon="")
        page = asked.content.decode()
        challenge, bits, autosubmit = CHALLENGE.search(page).groups()
        placed = _buy(client, product, pow=solve(challenge, int(bits)))

    assert asked.status_code == 429
    assert asked["Retry-After"] == "3600"
    assert "your browser needs to do a quick check" in page
    assert "No order was placed and nothing was charged." in page
    assert 'value="typed@example.com"' in page
    assert "/static/yongxu/pow.js" in page
    assert autosubmit == " data-pow-autosubmit"
    assert placed.status_code == 302
    assert Order.objects.count() == 2
    assert available_count(product) == 3


def test_a_query_password_is_typed_again_rather_than_sent_back(limits):
    product = make_product(keys=5)
    client = Client(REMOTE_ADDR="203.0.113.71")
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        _buy(client, product)
        asked = _buy(client, product, query_password="open sesame")

    page = asked.content.decode()
    assert CHALLENGE.search(page).group(3) is None
    assert "Type your query password again" in page
    assert "open sesame" not in page
    assert Order.objects.count() == 1
