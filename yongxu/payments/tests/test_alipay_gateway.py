"""Alipay's OpenAPI over real HTTP to a fake gateway on loopback: precreate gives the QR code shown on our
pay page, query and reconciliation recover a lost notification, refunds are idempotent by request number,
and an answer not signed by Alipay's key is not believed."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
from alipay import AliPay

from yongxu.orders.models import OrderStatus
from yongxu.payments.models import Payment, PaymentSource
from yongxu.payments.providers.alipay import AlipayProvider, signing_string
from yongxu.payments.providers.base import GatewayError
from yongxu.payments.providers.keys import sign_sha256
from yongxu.payments.registry import get_provider
from yongxu.payments.services import query_payment, reconcile, start_payment
from yongxu.payments.tests.conftest import BOUGHT, buy, money_state
from yongxu.payments.tests.fake_alipay import APP_ID, alipay_key, merchant_key
from yongxu.payments.tests.loopback import made_key

pytestmark = pytest.mark.django_db


def test_precreate_sends_the_buyer_to_our_pay_page_with_the_qr_code(alipay, product):
    order, payment = buy(product, provider="alipay")
    start = start_payment(order, "alipay")

    assert start.redirect_url == f"/o/{order.token}/pay/{order.number}-02/"
    assert (Payment.objects.get(pk=payment.pk).qr_payload, alipay.bad_request_signatures) == (
        "https://qr.alipay.com/bax00001", 0)
    sent = alipay.precreated[0]
    assert (sent["app_id"], sent["sign_type"], sent["notify_url"].endswith("/pay/notify/alipay/")) == (APP_ID, "RSA2", True)
    assert (sent["biz"]["out_trade_no"], sent["biz"]["total_amount"]) == (payment.reference, "9.99")


def test_our_request_signature_is_the_one_the_sdk_makes():
    params = {"app_id": APP_ID, "method": "alipay.trade.query", "charset": "utf-8", "sign_type": "RSA2",
              "timestamp": "2025-05-01 17:00:00", "version": "1.0", "biz_content": '{"out_trade_no":"Y-01"}'}
    sdk = AliPay(appid=APP_ID, app_private_key_string=merchant_key().private_pem,
                 alipay_public_key_string=alipay_key().public_pem)
    sdk_sign = dict(parse_qsl(sdk.sign_data(dict(params))))["sign"]
    ours = AlipayProvider("alipay", {"private_key": merchant_key().private_pem})

    assert sign_sha256(ours._private_key, signing_string(params)) == sdk_sign


def test_active_query_delivers_a_paid_trade(alipay, product, django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="alipay")
    alipay.paid(payment, trade_no="2025050122001411111")

    with django_capture_on_commit_callbacks(execute=True):
        assert query_payment(payment, force=True) is True

    payment.refresh_from_db()
    assert (payment.status, payment.gateway_trade_no, payment.source) == ("succeeded", "2025050122001411111",
                                                                          PaymentSource.QUERY)
    assert money_state(order).order_status == OrderStatus.DELIVERED


def test_query_before_the_buyer_scanned_is_not_paid(alipay, product):
    order, payment = buy(product, provider="alipay")
    before = money_state(order)

    assert query_payment(payment, force=True) is False
    assert money_state(order) == before


def test_query_answer_for_the_wrong_amount_changes_nothing(alipay, product):
    order, payment = buy(product, provider="alipay")
    alipay.paid(payment, total_amount="0.01")
    before = money_state(order)

    assert query_payment(payment, force=True) is False
    assert money_state(order) == before


def test_query_answer_signed_by_someone_else_is_not_believed(alipay, product, settings):
    order, payment = buy(product, provider="alipay")
    alipay.paid(payment)
    alipay.sdk = AliPay(appid=APP_ID, app_private_key_string=made_key("forger").private_pem,
                        alipay_public_key_string=merchant_key().public_pem)
    alipay.sdk._alipay_public_key = AliPay(appid=APP_ID, app_private_key_string=alipay_key().private_pem,
                                           alipay_public_key_string=merchant_key().public_pem).alipay_public_key
    before = money_state(order)

    with pytest.raises(GatewayError, match="bad signature"):
        get_provider("alipay").query(payment)
    assert query_payment(payment, force=True) is False
    assert money_state(order) == before


def test_lost_notification_is_recovered_by_reconcile(alipay, product, clock, django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="alipay")
    alipay.paid(payment)
    clock.move_to(BOUGHT + timedelta(minutes=5), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile() == 1

    assert Payment.objects.get(pk=payment.pk).source == PaymentSource.RECONCILE
    assert money_state(order).order_status == OrderStatus.DELIVERED


def test_refund_is_sent_with_its_request_number(alipay, product):
    order, payment = buy(product, provider="alipay")
    alipay.paid(payment, trade_no="2025050122001422222")
    query_payment(payment, force=True)
    provider = get_provider("alipay")

    first = provider.refund(payment, amount=Decimal("5.00"), request_id="RF-1", reason="could not deliver")
    again = provider.refund(payment, amount=Decimal("5.00"), request_id="RF-1", reason="could not deliver")

    assert first == again
    assert first.refund_id == "2025050122001422222:RF-1"
    assert list(alipay.refunds) == ["RF-1"]
    assert alipay.refunds["RF-1"]["refund_fee"] == "5.00"


def test_gateway_trouble_is_retryable(alipay, product):
    order, payment = buy(product, provider="alipay")
    alipay.server.fail_with = 502

    with pytest.raises(GatewayError) as caught:
        get_provider("alipay").query(payment)
    assert caught.value.retryable is True
