"""Past the orders allowed per client, the API answers 429 with a proof-of-work challenge and
Retry-After; the same call with the answer in X-Proof-Of-Work is placed; an answer works once."""

import hashlib
import itertools

import pytest
import time_machine
from django.test import Client

from yongxu.conftest import make_product
from yongxu.limits.pow import solve
from yongxu.orders.models import Order

pytestmark = pytest.mark.django_db

CLIENT = "203.0.113.60"


@pytest.fixture
def limits(settings):
    settings.YONGXU_ORDERS_PER_CLIENT = 2
    settings.YONGXU_UNPAID_ORDERS_PER_CLIENT = 10
    settings.YONGXU_POW_BITS = 8


def _too_few_zeros(challenge: str) -> str:
    return next(f"{challenge}:{n}" for n in itertools.count()
                if hashlib.sha256(f"{challenge}:{n}".encode()).digest()[0] != 0)


def _order(product, n: int, **headers):
    return Client(REMOTE_ADDR=CLIENT).post("/api/v1/orders", {"product": product.slug, "quantity": 1,
                                                              "email": f"b{n}@example.com"},
                                           content_type="application/json", headers=headers)


def test_the_third_order_needs_a_proof_of_work(limits):
    product = make_product(keys=10)
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        first, second = _order(product, 1), _order(product, 2)
        asked = _order(product, 3)
        challenge = asked.json()["proof_of_work"]
        answer = solve(challenge["challenge"], challenge["bits"])
        placed = _order(product, 3, **{"X-Proof-Of-Work": answer})
        replayed = _order(product, 4, **{"X-Proof-Of-Work": answer})
        wrong = _order(product, 5, **{"X-Proof-Of-Work": _too_few_zeros(challenge["challenge"])})

    assert (first.status_code, second.status_code) == (201, 201)
    assert asked.status_code == 429
    assert asked["Retry-After"] == "3600"
    assert asked.json()["error"] == "proof_of_work_required"
    assert asked.json()["retry_after"] == 3600
    assert challenge["bits"] == 8
    assert challenge["header"] == "X-Proof-Of-Work"
    assert challenge["expires_at"] == "2026-03-01T12:05:00+00:00"
    assert placed.status_code == 201
    assert replayed.status_code == 429
    assert replayed.json()["proof_of_work"]["challenge"] != challenge["challenge"]
    assert wrong.status_code == 429
    assert sorted(Order.objects.values_list("email", flat=True)) == ["b1@example.com", "b2@example.com",
                                                                     "b3@example.com"]
