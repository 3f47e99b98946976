"""WeChat Pay's callback, built as WeChat documents it (and accepted by wechatpayv3's own verifier):
verified with the platform key, decrypted with the API v3 key, answered 204; tampered, replayed,
relabelled, wrongly keyed and wrong-amount callbacks change nothing."""

import json
from datetime import timedelta

import pytest
from wechatpayv3 import WeChatPay, WeChatPayType

from yongxu.conftest import mails
from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, PaymentSource
from yongxu.payments.tests.conftest import BOUGHT, buy, last_notification, money_state
from yongxu.payments.tests.fake_wechat import (
    APIV3_KEY,
    CERT_SERIAL,
    MCHID,
    PLATFORM_SERIAL,
    callback,
    merchant_key,
    platform_key,
)
from yongxu.payments.tests.loopback import made_key

pytestmark = pytest.mark.django_db
NOTIFY = "/pay/notify/wechat/"
NOW = int(BOUGHT.timestamp())


@pytest.fixture
def post(client, clock, django_capture_on_commit_callbacks):
    def post(body: bytes, headers: dict):
        meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(NOTIFY, data=body, content_type="application/json", **meta)
    return post


def test_the_test_callback_is_one_wechatpayv3_accepts(wechat, product):
    order, payment = buy(product, provider="wechat")
    body, headers = callback(payment, timestamp=NOW)
    sdk = WeChatPay(wechatpay_type=WeChatPayType.NATIVE, mchid=MCHID, private_key=merchant_key().private_pem,
                    cert_serial_no=CERT_SERIAL, appid="wxd678efh567hg6787", apiv3_key=APIV3_KEY,
                    public_key=platform_key().public_pem, public_key_id=PLATFORM_SERIAL)

    decoded = sdk.callback(headers, body)

    assert decoded["resource"]["out_trade_no"] == payment.reference


def test_callback_delivers_the_order_and_is_answered_204(wechat, product, post, mailoutbox):
    order, payment = buy(product, provider="wechat")

    response = post(*callback(payment, timestamp=NOW))

    assert (response.status_code, response.content) == (204, b"")
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_trade_no, payment.source) == ("succeeded", "4200002025050100000001",
                                                                          PaymentSource.NOTIFY)
    assert money_state(order).order_status == OrderStatus.DELIVERED
    assert [message.to for message in mails(mailoutbox, "orders/email/delivered")] == [["buyer@example.com"]]
    assert last_notification().headers["wechatpay-serial"] == PLATFORM_SERIAL


def test_callback_replayed_later_than_five_minutes_is_refused(wechat, product, post, clock):
    order, payment = buy(product, provider="wechat")
    body, headers = callback(payment, timestamp=NOW)
    clock.move_to(BOUGHT + timedelta(minutes=6), tick=False)
    before = money_state(order)

    post(body, headers)

    assert money_state(order) == before
    assert last_notification().detail == "timestamp outside the tolerance (replayed?)"


def test_the_same_callback_twice_applies_once(wechat, product, post):
    order, payment = buy(product, provider="wechat")
    body, headers = callback(payment, timestamp=NOW)
    post(body, headers)
    after_first = money_state(order)

    response = post(body, headers)

    assert response.status_code == 204
    assert money_state(order) == after_first
    assert last_notification().outcome == NotificationOutcome.DUPLICATE


def test_tampered_body_is_refused(wechat, product, post):
    order, payment = buy(product, provider="wechat")
    body, headers = callback(payment, timestamp=NOW)
    event = json.loads(body)
    event["event_type"] = "TRANSACTION.SUCCESS "
    before = money_state(order)

    post(json.dumps(event).encode(), headers)

    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED, "bad signature")


@pytest.mark.parametrize("change, detail", [
    ({"key": made_key("forger")}, "bad signature"),
    ({"serial": "PUB_KEY_ID_SOMEONE_ELSE"}, "signed with unknown platform key 'PUB_KEY_ID_SOMEONE_ELSE'"),
    ({"apiv3_key": "another-apiv3-key-of-32-bytes!!!"}, "resource cannot be decrypted with the API v3 key"),
    ({"mchid": "1900000999"}, "for another merchant or app"),
])
def test_forged_or_relabelled_callback_is_refused(wechat, product, post, change, detail):
    order, payment = buy(product, provider="wechat")
    before = money_state(order)

    post(*callback(payment, timestamp=NOW, **change))

    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED, detail)


def test_authentic_callback_for_the_wrong_amount_is_refused(wechat, product, post):
    order, payment = buy(product, provider="wechat")
    before = money_state(order)

    post(*callback(payment, timestamp=NOW, total=1))

    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().payment) == (NotificationOutcome.REJECTED, payment)


def test_missing_headers_are_refused(wechat, product, post):
    order, payment = buy(product, provider="wechat")
    body, headers = callback(payment, timestamp=NOW)
    del headers["Wechatpay-Signature"]

    post(body, headers)

    assert last_notification().detail == "missing Wechatpay-* headers"
