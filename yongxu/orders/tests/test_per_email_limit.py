"""A product's per-e-mail limit counts every live order of that address, whatever its case."""

import pytest
import time_machine

from yongxu.conftest import make_product
from yongxu.inventory.services import available_count
from yongxu.orders.errors import PurchaseLimitReached
from yongxu.orders.models import Order
from yongxu.orders.services import expire_orders
from yongxu.orders.tests.factories import pay, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited():
    return make_product(keys=10, per_email_limit=3)


def test_an_order_past_the_limit_is_refused_and_says_how_many_remain(limited, buyer_email):
    pay(place(limited, email=buyer_email, quantity=1))
    place(limited, email=buyer_email, quantity=1)  # still unpaid: it counts too

    with pytest.raises(PurchaseLimitReached) as refused:
        place(limited, email=buyer_email, quantity=2)

    assert refused.value.as_dict()["remaining"] == 1
    assert Order.objects.count() == 2
    assert available_count(limited) == 8


def test_the_limit_is_reached_exactly(limited, buyer_email):
    place(limited, email=buyer_email, quantity=2)

    last = place(limited, email=buyer_email, quantity=1)

    assert last.quantity == 1
    with pytest.raises(PurchaseLimitReached):
        place(limited, email=buyer_email, quantity=1)


def test_the_same_address_in_another_case_counts_as_the_same_buyer(limited):
    place(limited, email="buyer@example.com", quantity=3)

    with pytest.raises(PurchaseLimitReached):
        place(limited, email="Buyer@EXAMPLE.com", quantity=1)


def test_another_address_has_its_own_limit(limited, buyer_email):
    place(limited, email=buyer_email, quantity=3)

    other = place(limited, email="friend@example.com", quantity=3)

    assert other.quantity == 3


def test_an_expired_order_no_longer_counts(limited, buyer_email):
    stale = place(limited, email=buyer_email, quantity=3)
    with time_machine.travel(stale.expires_at, tick=False):
        expire_orders()

        again = place(limited, email=buyer_email, quantity=3)

    assert again.quantity == 3
