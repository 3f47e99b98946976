"""The money path never stops: in every level a gateway's callback is accepted and applied; the paid
order is delivered at once, or — while `delivery` is closed — kept paid and visibly queued, and
delivered automatically (exactly once) when it reopens."""

import pytest

from yongxu.conftest import make_product
from yongxu.core.capabilities import ALL, NEVER_CLOSED
from yongxu.maintenance import services
from yongxu.maintenance.tests.conftest import switch_off, switch_on
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.tests.conftest import EPAY_NOTIFY, MoneyState, buy, epay_notification, money_state

pytestmark = pytest.mark.django_db

ALL_CLOSABLE = sorted(ALL - NEVER_CLOSED)
LEVELS = [
    pytest.param("full", [], False, id="full"),
    pytest.param("readonly", [], True, id="readonly"),
    pytest.param("modules", ALL_CLOSABLE, False, id="modules=all-closable"),
    pytest.param("modules", ["delivery"], False, id="modules=delivery"),
    pytest.param("modules", ["checkout", "payment"], True, id="modules=checkout,payment"),
    pytest.param("sync", [], True, id="sync"),
]
DELIVERED = MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0, stock_available=2,
                       payments_succeeded=1, buyer_emails=1)


@pytest.fixture
def notify(client, committed):
    def notify(payment):
        with committed():
            return client.get(EPAY_NOTIFY, epay_notification(payment))

    return notify


@pytest.mark.parametrize(("level", "modules", "delivery_open"), LEVELS)
def test_a_payment_callback_is_applied_in_every_level(notify, mailoutbox, level, modules, delivery_open):
    order, payment = buy(make_product(keys=3))
    switch_on(level, modules=modules, public_reason="Upgrade")

    response = notify(payment)

    assert (response.status_code, response.content) == (200, b"success")
    order.refresh_from_db()
    if delivery_open:
        assert money_state(order) == DELIVERED
        assert order.attention_reason == ""
    else:
        assert money_state(order) == MoneyState(order_status=OrderStatus.PAID, keys_sold=0, keys_reserved=1,
                                                stock_available=2, payments_succeeded=1, buyer_emails=1)
        assert order.attention_reason == "queued: delivery paused for maintenance"


@pytest.mark.parametrize(("level", "modules"), [("full", []), ("modules", ["delivery"]), ("modules", ALL_CLOSABLE)])
def test_a_queued_order_is_delivered_once_when_delivery_reopens(notify, committed, mailoutbox, level, modules):
    order, payment = buy(make_product(keys=3))
    switch_on(level, modules=modules)
    notify(payment)

    with committed():
        switch_off()

    order.refresh_from_db()
    assert money_state(order) == MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0,
                                            stock_available=2, payments_succeeded=1, buyer_emails=2)
    assert order.attention_reason == ""

    with committed():
        switch_on("sync")
        switch_off()  # reopening again delivers nothing twice

    assert money_state(order) == MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0,
                                            stock_available=2, payments_succeeded=1, buyer_emails=2)


def test_an_order_waits_while_another_closure_still_closes_delivery(notify, committed):
    order, payment = buy(make_product(keys=3))
    switch_on("modules", modules=["delivery"])
    services.close_capabilities(["delivery"], source="protection:key-vault", reason="vault sealed", until=None,
                                actor="system:protection")
    notify(payment)

    with committed():
        switch_off()

    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    with committed():
        services.turn_off(actor="system:protection", source="protection:key-vault")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED
