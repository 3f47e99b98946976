"""An order moves only along TRANSITIONS; anything else is refused and changes nothing."""

import pytest

from yongxu.catalog.models import DeliveryMode
from yongxu.conftest import make_product
from yongxu.orders.errors import IllegalTransition
from yongxu.orders.models import TRANSITIONS, Order, OrderStatus
from yongxu.orders.services import transition
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db

ILLEGAL = [(current, wanted) for current in OrderStatus.values for wanted in OrderStatus.values
           if wanted not in TRANSITIONS[current]]
LEGAL = [(current, wanted) for current in OrderStatus.values for wanted in sorted(TRANSITIONS[current])]


def order_in(status: str, buyer_email: str) -> Order:
    order = place(make_product(delivery_mode=DeliveryMode.MANUAL), email=buyer_email)
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


def test_a_delivered_order_cannot_go_back_to_pending(buyer_email):
    order = order_in(OrderStatus.DELIVERED, buyer_email)

    with pytest.raises(IllegalTransition) as refused:
        transition(order, OrderStatus.PENDING)

    assert refused.value.as_dict()["current"] == "delivered"
    assert refused.value.as_dict()["wanted"] == "pending"
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


@pytest.mark.parametrize(("current", "wanted"), ILLEGAL)
def test_every_move_outside_the_table_is_refused(buyer_email, current, wanted):
    order = order_in(current, buyer_email)

    with pytest.raises(IllegalTransition):
        transition(order, wanted)

    assert order.status == current
    assert Order.objects.get(pk=order.pk).status == current


@pytest.mark.parametrize(("current", "wanted"), LEGAL)
def test_every_move_in_the_table_is_made(buyer_email, current, wanted):
    order = order_in(current, buyer_email)

    transition(order, wanted)

    assert order.status == wanted
    assert Order.objects.get(pk=order.pk).status == wanted


def test_a_move_made_meanwhile_by_someone_else_wins(buyer_email):
    order = order_in(OrderStatus.PENDING, buyer_email)
    stale_copy = Order.objects.get(pk=order.pk)
    transition(order, OrderStatus.PAID)

    with pytest.raises(IllegalTransition):
        transition(stale_copy, OrderStatus.EXPIRED)

    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
