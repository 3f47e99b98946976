"""A payment that arrives after its order expired is never dropped: the order is revived and delivered if
stock allows, otherwise it waits (status 'attention', the merchant alerted) and new keys deliver the
waiting orders, oldest payment first."""

from datetime import timedelta

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.conftest import make_product
from yongxu.inventory.services import import_keys
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import expire_orders
from yongxu.payments.tests.conftest import BOUGHT, MoneyState, buy, epay_notification, money_state

pytestmark = pytest.mark.django_db
AFTER_EXPIRY = BOUGHT + timedelta(minutes=16)


def test_late_payment_revives_and_delivers_the_expired_order(clock, notify, product):
    order, payment = buy(product, quantity=2)
    clock.move_to(AFTER_EXPIRY, tick=False)
    assert expire_orders() == 1
    assert money_state(order).order_status == OrderStatus.EXPIRED

    response = notify(epay_notification(payment))

    assert response.content == b"success"
    assert money_state(order) == MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=2, keys_reserved=0,
                                            stock_available=3, payments_succeeded=1, buyer_emails=1)
    paid = AuditEntry.objects.get(action="order.paid")
    assert (paid.data["late"], paid.data["payment"]) == (True, payment.reference)
    assert Alert.objects.count() == 0


def test_late_payment_without_stock_waits_for_keys(clock, notify, django_capture_on_commit_callbacks, mailoutbox):
    product = make_product(keys=1)
    late, late_payment = buy(product, email="late@example.com")
    clock.move_to(AFTER_EXPIRY, tick=False)
    expire_orders()
    other, other_payment = buy(product, email="other@example.com")
    notify(epay_notification(other_payment))

    notify(epay_notification(late_payment))

    assert money_state(late) == MoneyState(order_status=OrderStatus.ATTENTION, keys_sold=0, keys_reserved=0,
                                           stock_available=0, payments_succeeded=1, buyer_emails=1)
    assert money_state(other).order_status == OrderStatus.DELIVERED
    assert list(Alert.objects.values_list("kind", "subject_ref")) == [(AlertKind.NEEDS_STOCK, late.number)]
    assert [m.subject for m in mailoutbox if m.to == ["late@example.com"]] == [
        f"Order {late.number} placed — please pay to receive it", f"Your order {late.number} is paid and being prepared"]

    with django_capture_on_commit_callbacks(execute=True):
        result = import_keys(product, ["NEW-KEY-0001"], actor="user:merchant")

    assert result.fulfilled_orders == [late.number]
    assert money_state(late) == MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0,
                                           stock_available=0, payments_succeeded=1, buyer_emails=2)
    assert mailoutbox[-1].subject == f"Your order {late.number}: your keys"


def test_waiting_orders_are_delivered_oldest_payment_first(clock, notify, django_capture_on_commit_callbacks):
    product = make_product(keys=2)
    placed_first, paid_second = buy(product, email="first@example.com")
    placed_second, paid_first = buy(product, email="second@example.com")
    clock.move_to(AFTER_EXPIRY, tick=False)
    expire_orders()
    _, taker_payment = buy(product, quantity=2, email="taker@example.com")
    notify(epay_notification(taker_payment))
    notify(epay_notification(paid_first))
    clock.shift(timedelta(minutes=1))
    notify(epay_notification(paid_second))
    assert {money_state(placed_first).order_status, money_state(placed_second).order_status} == {OrderStatus.ATTENTION}

    with django_capture_on_commit_callbacks(execute=True):
        first_import = import_keys(product, ["NEW-KEY-0001"], actor="user:merchant")

    assert first_import.fulfilled_orders == [placed_second.number]
    assert money_state(placed_first).order_status == OrderStatus.ATTENTION

    with django_capture_on_commit_callbacks(execute=True):
        second_import = import_keys(product, ["NEW-KEY-0002"], actor="user:merchant")

    assert second_import.fulfilled_orders == [placed_first.number]
    assert money_state(placed_first).keys_sold == 1
