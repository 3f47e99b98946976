"""WeChat Pay API v3 over real HTTP to a fake on loopback that checks our WECHATPAY2-SHA256-RSA2048
signatures with wechatpayv3: Native order → code_url on our pay page, order query, reconciliation of a
lost callback, refunds by out_refund_no."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from wechatpayv3.utils import build_authorization, load_private_key

from yongxu.orders.models import OrderStatus
from yongxu.payments.models import Payment, PaymentSource
from yongxu.payments.registry import get_provider
from yongxu.payments.services import query_payment, reconcile, start_payment
from yongxu.payments.tests.conftest import BOUGHT, buy, money_state
from yongxu.payments.tests.fake_wechat import CERT_SERIAL, MCHID, merchant_key

pytestmark = pytest.mark.django_db


def test_authorization_header_is_the_one_wechatpayv3_builds(wechat):
    provider = get_provider("wechat")
    body = '{"out_trade_no":"Y-01"}'

    with time_machine.travel(BOUGHT, tick=False):
        ours = provider.authorization("POST", "/v3/pay/transactions/native", body)
        nonce = ours.split('nonce_str="')[1].split('"')[0]
        theirs = build_authorization("/v3/pay/transactions/native", "POST", MCHID, CERT_SERIAL,
                                     load_private_key(merchant_key().private_pem), data=body, nonce_str=nonce)

    assert ours == theirs


def test_native_order_sends_the_buyer_to_our_pay_page(wechat, product):
    order, payment = buy(product, provider="wechat")

    assert Payment.objects.get(pk=payment.pk).qr_payload == "weixin://wxpay/bizpayurl?pr=Yx00001"
    assert wechat.bad_signatures == 0
    sent = wechat.orders[0]
    assert (sent["out_trade_no"], sent["amount"], sent["mchid"]) == (payment.reference, {"total": 999, "currency": "CNY"},
                                                                     MCHID)
    assert sent["notify_url"].endswith("/pay/notify/wechat/")
    assert start_payment(order, "wechat").redirect_url == f"/o/{order.token}/pay/{order.number}-02/"


def test_query_delivers_a_paid_order(wechat, product, django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="wechat")
    wechat.paid(payment, transaction_id="4200002025050100000777")

    with django_capture_on_commit_callbacks(execute=True):
        assert query_payment(payment, force=True) is True

    payment.refresh_from_db()
    assert (payment.gateway_trade_no, payment.source) == ("4200002025050100000777", PaymentSource.QUERY)
    assert money_state(order).order_status == OrderStatus.DELIVERED


@pytest.mark.parametrize("known", [None, {"trade_state": "NOTPAY"}, {"total": 1}])
def test_query_of_unpaid_unknown_or_short_paid_order_changes_nothing(wechat, product, known):
    order, payment = buy(product, provider="wechat")
    if known is not None:
        wechat.paid(payment, **known)
    before = money_state(order)

    assert query_payment(payment, force=True) is False
    assert money_state(order) == before


def test_lost_callback_is_recovered_by_reconcile(wechat, product, clock, django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="wechat")
    wechat.paid(payment)
    clock.move_to(BOUGHT + timedelta(minutes=5), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile() == 1

    assert (Payment.objects.get(pk=payment.pk).source, money_state(order).order_status) == (
        PaymentSource.RECONCILE, OrderStatus.DELIVERED)


def test_refund_is_requested_once_per_refund_number(wechat, product):
    order, payment = buy(product, provider="wechat")
    wechat.paid(payment)
    provider = get_provider("wechat")

    first = provider.refund(payment, amount=Decimal("9.99"), request_id="RF-7", reason="out of stock")
    again = provider.refund(payment, amount=Decimal("9.99"), request_id="RF-7", reason="out of stock")

    assert first == again
    assert (first.refund_id, first.done) == ("5030000000000000000001", False)
    assert wechat.refunds["RF-7"]["amount"] == {"refund": 999, "total": 999, "currency": "CNY"}
