"""Twenty simultaneous orders from one client, each on its own database connection, place exactly
three: the unpaid-order cap is checked under a per-client lock, not read and then acted on."""

import threading
from collections import Counter

import pytest
from django.db import connections

from yongxu.conftest import make_product
from yongxu.inventory.services import available_count
from yongxu.orders.models import Order
from yongxu.orders.services import place_order


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_exactly_three_of_twenty_simultaneous_orders(settings):
    settings.YONGXU_ORDERS_PER_CLIENT = 100
    settings.YONGXU_ORDERS_PER_EMAIL = 100
    product = make_product(keys=40, max_quantity=2)
    start, outcomes = threading.Barrier(20), []

    def buyer(n: int) -> None:
        try:
            start.wait()
            place_order(product, quantity=2, email=f"s{n}@example.com", client_ip="203.0.113.90")
            outcomes.append("placed")
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test counts
            outcomes.append(getattr(exc, "code", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(outcomes) == {"placed": 3, "unpaid_orders_limit": 17}
    assert Order.objects.count() == 3
    assert available_count(product) == 34
