"""Never rely on the callback alone: the buyer's return asks the gateway at once, and reconciliation asks
about every attempt left open, over real HTTP to a fake Epay gateway on loopback."""

from datetime import timedelta

import pytest

from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import expire_orders
from yongxu.payments.models import Payment, PaymentSource
from yongxu.payments.services import query_order, reconcile
from yongxu.payments.tests.conftest import BOUGHT, MoneyState, buy, money_state

pytestmark = pytest.mark.django_db
QUERY = ("GET", "/api.php")
DELIVERED_ONE = MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0, stock_available=4,
                           payments_succeeded=1, buyer_emails=1)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _source(payment) -> str:
    return Payment.objects.get(pk=payment.pk).source


def test_return_from_gateway_delivers_when_the_gateway_says_paid(client, gateway, product, capture):
    order, payment = buy(product)
    gateway.epay_paid(payment, trade_no="2025QUERY0001")

    with capture():
        response = client.get(f"/o/{order.token}/return/", {"ref": payment.reference})

    assert (response.status_code, response["Location"]) == (302, f"/o/{order.token}/")
    assert money_state(order) == DELIVERED_ONE
    assert (_source(payment), Payment.objects.get(pk=payment.pk).gateway_trade_no) == (PaymentSource.QUERY,
                                                                                        "2025QUERY0001")
    assert gateway.requests == [QUERY]


def test_return_from_gateway_before_payment_changes_nothing(client, gateway, product):
    order, payment = buy(product)
    before = money_state(order)

    response = client.get(f"/o/{order.token}/return/", {"ref": payment.reference}, follow=True)

    assert money_state(order) == before
    assert "We have not heard from the payment gateway yet" in response.content.decode()
    assert gateway.requests == [QUERY]


def test_queries_of_one_payment_are_throttled(clock, gateway, product):
    order, payment = buy(product)

    assert (query_order(order), query_order(order)) == (False, False)
    clock.shift(timedelta(seconds=3))
    assert query_order(order) is False

    assert gateway.requests == [QUERY, QUERY]


def test_reconcile_waits_a_few_minutes_then_delivers_a_pending_order(clock, gateway, product, capture):
    order, payment = buy(product)
    gateway.epay_paid(payment)
    clock.move_to(BOUGHT + timedelta(minutes=2), tick=False)
    assert reconcile() == 0
    assert gateway.requests == []

    clock.move_to(BOUGHT + timedelta(minutes=3), tick=False)
    with capture():
        assert reconcile() == 1

    assert money_state(order) == DELIVERED_ONE
    assert _source(payment) == PaymentSource.RECONCILE
    assert reconcile() == 0
    assert gateway.requests == [QUERY]


def test_reconcile_delivers_an_order_that_expired_recently(clock, gateway, product, capture):
    order, payment = buy(product)
    clock.move_to(BOUGHT + timedelta(minutes=20), tick=False)
    expire_orders()
    gateway.epay_paid(payment)

    with capture():
        assert reconcile() == 1

    assert money_state(order) == DELIVERED_ONE


def test_reconcile_leaves_attempts_older_than_a_day_alone(clock, gateway, product):
    order, payment = buy(product)
    clock.move_to(BOUGHT + timedelta(hours=25), tick=False)
    expire_orders()
    gateway.epay_paid(payment)

    assert reconcile() == 0
    assert gateway.requests == []
    assert money_state(order).order_status == OrderStatus.EXPIRED


def _stop(gateway, payment):
    gateway.epay_paid(payment)
    gateway.stop()


def _fail(gateway, payment):
    gateway.epay_paid(payment)
    gateway.fail_with = 500


def _another_trade(gateway, payment):
    gateway.epay_paid(payment)
    gateway.epay_trades[payment.reference]["out_trade_no"] = "SOMEONE-ELSES"


def _not_json(gateway, payment):
    gateway.epay_paid(payment, money="nine ninety-nine")


@pytest.mark.parametrize("break_gateway", [_stop, _fail, _another_trade, _not_json],
                         ids=["down", "http-500", "another-trade", "bad-amount"])
def test_gateway_trouble_applies_nothing(client, clock, gateway, product, break_gateway):
    order, payment = buy(product)
    before = money_state(order)
    break_gateway(gateway, payment)
    clock.move_to(BOUGHT + timedelta(minutes=5), tick=False)

    response = client.get(f"/o/{order.token}/return/", {"ref": payment.reference})
    reconciled = reconcile()

    assert (response.status_code, reconciled) == (302, 0)
    assert money_state(order) == before
    assert Alert.objects.count() == 0


def test_gateway_saying_paid_with_another_amount_is_refused_and_reported(clock, gateway, product):
    order, payment = buy(product)
    before = money_state(order)
    gateway.epay_paid(payment, money="0.01")
    clock.move_to(BOUGHT + timedelta(minutes=5), tick=False)

    assert reconcile() == 0

    assert money_state(order) == before
    assert list(Alert.objects.values_list("kind", "subject_ref")) == [(AlertKind.BAD_NOTIFICATION, payment.reference)]
