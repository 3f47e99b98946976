"""Alipay's asynchronous notification: one signed by python-alipay-sdk (in Alipay's seat, with Alipay's
private key) delivers the order and is answered ``success``; tampered, replayed, relabelled and
wrong-amount ones change nothing."""

import pytest
from alipay import AliPay

from yongxu.conftest import mails
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, Payment, PaymentSource
from yongxu.payments.tests.conftest import buy, last_notification, money_state
from yongxu.payments.tests.fake_alipay import APP_ID, alipay_notification, merchant_key
from yongxu.payments.tests.loopback import made_key

pytestmark = pytest.mark.django_db
NOTIFY = "/pay/notify/alipay/"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(params: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(NOTIFY, params)
    return post


def test_notification_signed_by_the_sdk_delivers_the_order(alipay, product, post, mailoutbox):
    order, payment = buy(product, provider="alipay")

    response = post(alipay_notification(payment, trade_no="2025050122001400001"))

    assert (response.status_code, response.content) == (200, b"success")
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_trade_no, payment.source) == ("succeeded", "2025050122001400001",
                                                                          PaymentSource.NOTIFY)
    assert money_state(order).order_status == OrderStatus.DELIVERED
    assert [message.to for message in mails(mailoutbox, "orders/email/delivered")] == [["buyer@example.com"]]
    assert last_notification().outcome == NotificationOutcome.APPLIED


def test_trade_finished_counts_as_paid(alipay, product, post):
    order, payment = buy(product, provider="alipay")

    post(alipay_notification(payment, trade_status="TRADE_FINISHED"))

    assert money_state(order).order_status == OrderStatus.DELIVERED


def test_replayed_notification_changes_nothing_the_second_time(alipay, product, post):
    order, payment = buy(product, provider="alipay")
    params = alipay_notification(payment)
    post(params)
    after_first = money_state(order)

    response = post(params)

    assert (response.status_code, response.content) == (200, b"success")
    assert money_state(order) == after_first
    assert last_notification().outcome == NotificationOutcome.DUPLICATE


@pytest.mark.parametrize("field, value", [("total_amount", "0.01"), ("out_trade_no", "OTHER-01"),
                                          ("trade_status", "TRADE_SUCCESS "), ("trade_no", "2025050122009999999")])
def test_tampered_field_is_refused(alipay, product, post, field, value):
    order, payment = buy(product, provider="alipay")
    before = money_state(order)

    response = post({**alipay_notification(payment), field: value})

    assert (response.status_code, response.content) == (200, b"success")
    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED, "bad signature")
    assert Alert.objects.filter(kind=AlertKind.BAD_NOTIFICATION).count() == 1


def test_notification_signed_with_another_key_is_refused(alipay, product, post):
    order, payment = buy(product, provider="alipay")
    before = money_state(order)
    forger = AliPay(appid=APP_ID, app_private_key_string=made_key("forger").private_pem,
                    alipay_public_key_string=merchant_key().public_pem)

    post(alipay_notification(payment, signer=forger))

    assert money_state(order) == before
    assert last_notification().detail == "bad signature"


def test_authentic_notification_for_another_app_is_refused(alipay, product, post):
    order, payment = buy(product, provider="alipay")
    before = money_state(order)

    post(alipay_notification(payment, app_id="2021000000009999"))

    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED,
                                                                          "for another app_id")


def test_authentic_notification_for_the_wrong_amount_is_refused(alipay, product, post):
    order, payment = buy(product, provider="alipay")
    before = money_state(order)

    post(alipay_notification(payment, total_amount="0.01"))

    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().payment) == (NotificationOutcome.REJECTED, payment)
    assert Payment.objects.get(pk=payment.pk).status == "created"


def test_waiting_for_payment_is_stored_and_ignored(alipay, product, post):
    order, payment = buy(product, provider="alipay")
    before = money_state(order)

    response = post(alipay_notification(payment, trade_status="WAIT_BUYER_PAY"))

    assert response.content == b"success"
    assert money_state(order) == before
    assert last_notification().outcome == NotificationOutcome.IGNORED


def test_missing_signature_is_refused(alipay, product, post):
    order, payment = buy(product, provider="alipay")
    params = alipay_notification(payment)
    del params["sign"]

    post(params)

    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED, "missing sign")
