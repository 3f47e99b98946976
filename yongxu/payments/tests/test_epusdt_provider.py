"""USDT through epusdt: the transaction is created over real HTTP (our signature checked by the epusdt
package), the shop amount and the exact USDT amount are both stored; a callback signed by the epusdt
package delivers, tampered / replayed / relabelled / wrong-amount ones change nothing; reconciliation
recovers a lost callback."""

from datetime import timedelta
from decimal import Decimal

import pytest

from yongxu.conftest import mails
from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, Payment, PaymentSource
from yongxu.payments.services import query_payment, reconcile
from yongxu.payments.tests.conftest import BOUGHT, buy, last_notification, money_state
from yongxu.payments.tests.fake_epusdt import ADDRESS, epusdt_callback

pytestmark = pytest.mark.django_db
NOTIFY = "/pay/notify/epusdt/"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(payload: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(NOTIFY, data=payload, content_type="application/json")
    return post


def test_transaction_stores_both_amounts_and_the_address(epusdt, product):
    order, payment = buy(product, provider="epusdt")

    payment.refresh_from_db()
    assert (payment.amount, payment.currency) == (Decimal("9.99"), "CNY")
    assert (payment.crypto_amount, payment.crypto_currency, payment.crypto_address) == (Decimal("1.39010000"), "USDT", ADDRESS)
    assert (payment.gateway_session, payment.qr_payload, epusdt.bad_signatures) == ("T2025050100001", ADDRESS, 0)
    sent = epusdt.created[0]
    assert (sent["order_id"], sent["amount"], sent["currency"], sent["network"]) == (payment.reference, "9.99", "cny", "tron")


def test_callback_signed_by_the_epusdt_package_delivers(epusdt, product, post, mailoutbox):
    order, payment = buy(product, provider="epusdt")
    payment.refresh_from_db()

    response = post(epusdt_callback(payment))

    assert (response.status_code, response.content) == (200, b"ok")
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_trade_no, payment.source) == ("succeeded", "T2025050100001", PaymentSource.NOTIFY)
    assert money_state(order).order_status == OrderStatus.DELIVERED
    assert [message.to for message in mails(mailoutbox, "orders/email/delivered")] == [["buyer@example.com"]]


def test_replayed_callback_applies_once(epusdt, product, post):
    order, payment = buy(product, provider="epusdt")
    payment.refresh_from_db()
    post(epusdt_callback(payment))
    after = money_state(order)

    assert post(epusdt_callback(payment)).content == b"ok"
    assert money_state(order) == after
    assert last_notification().outcome == NotificationOutcome.DUPLICATE


@pytest.mark.parametrize("field, value", [("amount", 99.9), ("order_id", "OTHER-01"), ("status", 3)])
def test_tampered_callback_is_refused(epusdt, product, post, field, value):
    order, payment = buy(product, provider="epusdt")
    payment.refresh_from_db()
    before = money_state(order)

    post({**epusdt_callback(payment), field: value})

    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED, "bad signature")


def test_callback_with_another_token_or_merchant_is_refused(epusdt, product, post):
    order, payment = buy(product, provider="epusdt")
    payment.refresh_from_db()
    before = money_state(order)

    post(epusdt_callback(payment, secret="someone-elses-token"))
    assert last_notification().detail == "bad signature"
    post(epusdt_callback(payment, pid="2000"))
    assert last_notification().detail == "for another merchant id"

    assert money_state(order) == before


def test_authentic_callback_for_the_wrong_amount_is_refused(epusdt, product, post):
    order, payment = buy(product, provider="epusdt")
    payment.refresh_from_db()
    before = money_state(order)

    post(epusdt_callback(payment, amount="1.00"))

    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().payment) == (NotificationOutcome.REJECTED, payment)


def test_expired_trade_is_ignored(epusdt, product, post):
    order, payment = buy(product, provider="epusdt")
    payment.refresh_from_db()

    post(epusdt_callback(payment, status=3))

    assert last_notification().outcome == NotificationOutcome.IGNORED


def test_query_and_reconcile_recover_a_lost_callback(epusdt, product, clock, django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="epusdt")
    payment.refresh_from_db()
    assert query_payment(payment, force=True) is False
    epusdt.paid(payment)
    clock.move_to(BOUGHT + timedelta(minutes=5), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile() == 1

    assert (Payment.objects.get(pk=payment.pk).source, money_state(order).order_status) == (
        PaymentSource.RECONCILE, OrderStatus.DELIVERED)


def test_query_answer_for_the_wrong_amount_changes_nothing(epusdt, product):
    order, payment = buy(product, provider="epusdt")
    payment.refresh_from_db()
    epusdt.paid(payment, amount="0.01")
    before = money_state(order)

    assert query_payment(payment, force=True) is False
    assert money_state(order) == before
