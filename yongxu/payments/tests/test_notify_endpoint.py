"""``/pay/notify/epay/``: the raw callback is stored first, verified, matched to our own reference and
applied; forged, wrong-amount and foreign callbacks change nothing. Answers: "success" for everything a
retry cannot change, so the gateway stops sending it."""

from decimal import Decimal
from unittest import mock
from urllib.parse import parse_qsl, urlencode

import pytest
from django.test import Client

from yongxu.conftest import mails
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, Payment, PaymentNotification, PaymentSource, PaymentStatus
from yongxu.payments.tests.conftest import EPAY_NOTIFY, MoneyState, buy, epay_notification, last_notification, money_state

pytestmark = pytest.mark.django_db


def _by_get(client, params):
    return client.get(EPAY_NOTIFY, params)


def _by_post(client, params):
    return client.post(EPAY_NOTIFY, urlencode(params), content_type="application/x-www-form-urlencoded")


def _by_multipart(client, params):
    return client.post(EPAY_NOTIFY, params)  # the test client's default: multipart/form-data


@pytest.fixture(params=[_by_get, _by_post, _by_multipart], ids=["GET", "POST", "POST-multipart"])
def send(request, client, django_capture_on_commit_callbacks):
    """Send a callback the way a gateway does (GET query or POST form) and run what waits for commit."""
    def send(params):
        with django_capture_on_commit_callbacks(execute=True):
            return request.param(client, params)

    return send


def test_paid_notification_delivers_the_order(send, product, mailoutbox):
    order, payment = buy(product, quantity=2)

    response = send(epay_notification(payment, trade_no="2025000000000042"))

    assert (response.status_code, response.content, response["Content-Type"]) == (200, b"success", "text/plain")
    assert money_state(order) == MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=2, keys_reserved=0,
                                            stock_available=3, payments_succeeded=1, buyer_emails=1)
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_trade_no, payment.source) == (
        PaymentStatus.SUCCEEDED, "2025000000000042", PaymentSource.NOTIFY)
    assert (last_notification().outcome, last_notification().payment) == (NotificationOutcome.APPLIED, payment)
    assert mails(mailoutbox, "orders/email/delivered")[0].subject == f"Your order {order.number}: your keys"
    assert Alert.objects.count() == 0


def test_bad_signature_is_refused_and_reported(send, product):
    order, payment = buy(product)
    before = money_state(order)
    params = {**epay_notification(payment), "money": "0.01"}  # changed after signing

    response = send(params)

    assert (response.status_code, response.content) == (200, b"success")  # a retry cannot make it authentic
    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED, "bad signature")
    assert list(Alert.objects.values_list("kind", "subject_ref")) == [
        (AlertKind.BAD_NOTIFICATION, "forged:epay")]


def test_correctly_signed_but_underpaid_is_refused(send, product):
    order, payment = buy(product)
    before = money_state(order)

    response = send(epay_notification(payment, money="0.01"))

    assert (response.status_code, response.content) == (200, b"success")
    assert money_state(order) == before
    notification = last_notification()
    assert (notification.outcome, notification.payment) == (NotificationOutcome.REJECTED, payment)
    assert notification.detail == f"{payment.reference}: paid 0.01 CNY, expected 9.99 CNY"
    assert list(Alert.objects.values_list("kind", "subject_ref")) == [(AlertKind.BAD_NOTIFICATION, payment.reference)]
    assert Payment.objects.get(pk=payment.pk).amount == Decimal("9.99")


def test_unknown_reference_is_acknowledged_and_ignored(send, product):
    order, payment = buy(product)
    before = money_state(order)
    params = epay_notification(payment, out_trade_no="SOMEONE-ELSES-ORDER")

    response = send(params)

    assert (response.status_code, response.content) == (200, b"success")
    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().detail) == (
        NotificationOutcome.IGNORED, "no payment 'SOMEONE-ELSES-ORDER' here")
    assert Alert.objects.count() == 0


def test_unfinished_trade_is_ignored(send, product):
    order, payment = buy(product)
    before = money_state(order)

    response = send(epay_notification(payment, trade_status="WAIT_BUYER_PAY"))

    assert response.content == b"success"
    assert money_state(order) == before
    assert last_notification().outcome == NotificationOutcome.IGNORED


def test_notification_moved_to_another_order_is_refused(send, product):
    order_a, payment_a = buy(product, email="a@example.com")
    order_b, payment_b = buy(product, email="b@example.com")
    before = (money_state(order_a), money_state(order_b))
    params = {**epay_notification(payment_a), "out_trade_no": payment_b.reference}  # cannot re-sign: no key

    response = send(params)

    assert (response.status_code, response.content) == (200, b"success")
    assert (money_state(order_a), money_state(order_b)) == before
    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED, "bad signature")


def test_raw_get_is_stored_exactly_even_when_refused(client, product):
    order, payment = buy(product)
    params = {**epay_notification(payment, name="点卡 & 礼品卡=100元"), "sign": "0" * 32}

    _by_get(client, params)

    stored = last_notification()
    assert (stored.provider, stored.method, stored.remote_addr, stored.outcome) == (
        "epay", "GET", "127.0.0.1", NotificationOutcome.REJECTED)
    assert dict(parse_qsl(stored.query_string)) == params
    assert stored.body == ""


def test_raw_post_body_is_stored_exactly_even_when_refused(client, product):
    order, payment = buy(product)
    params = {**epay_notification(payment), "sign": "0" * 32}

    _by_post(client, params)

    stored = last_notification()
    assert (stored.method, stored.body, stored.query_string) == ("POST", urlencode(params), "")
    assert stored.headers["content-type"] == "application/x-www-form-urlencoded"


def test_raw_notification_survives_a_crash_while_verifying(product):
    order, payment = buy(product)
    before = money_state(order)
    params = epay_notification(payment)
    client = Client(raise_request_exception=False)

    with mock.patch("yongxu.payments.providers.epay.EpayProvider.verify_notification", side_effect=KeyError("key")):
        response = _by_get(client, params)

    assert response.status_code == 500  # not "success": the gateway keeps the callback and retries
    assert (last_notification().outcome, dict(parse_qsl(last_notification().query_string))) == (
        NotificationOutcome.RECEIVED, params)
    assert money_state(order) == before


def test_unknown_provider_is_not_found(client):
    response = client.get("/pay/notify/nosuchpay/", {"out_trade_no": "X"})

    assert (response.status_code, response.content) == (404, b"unknown provider")
    assert PaymentNotification.objects.count() == 0


def test_other_methods_are_not_allowed(client):
    assert client.put(EPAY_NOTIFY).status_code == 405
    assert PaymentNotification.objects.count() == 0
