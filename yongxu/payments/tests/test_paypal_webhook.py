"""PayPal webhooks, verified as PayPal documents it with a certificate and signature made in the test
and the certificate served from a loopback host: accepted when authentic; tampered, relabelled,
wrong-amount, foreign-host, expired-certificate and replayed ones change nothing."""

from datetime import UTC, datetime

import pytest

from yongxu.conftest import mails
from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, PaymentSource
from yongxu.payments.tests.conftest import buy, last_notification, money_state
from yongxu.payments.tests.fake_paypal import certificate, webhook
from yongxu.payments.tests.loopback import made_key

pytestmark = pytest.mark.django_db
NOTIFY = "/pay/notify/paypal/"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(body: bytes, headers: dict):
        meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(NOTIFY, data=body, content_type="application/json", **meta)
    return post


def test_capture_completed_delivers_the_order(paypal, product, post, mailoutbox):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()

    response = post(*webhook(payment, cert_url=paypal.cert_url))

    assert response.status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_trade_no, payment.source) == ("succeeded", "42311647XV020574X",
                                                                          PaymentSource.NOTIFY)
    assert money_state(order).order_status == OrderStatus.DELIVERED
    assert [message.to for message in mails(mailoutbox, "orders/email/delivered")] == [["buyer@example.com"]]


def test_replayed_webhook_applies_once_and_the_certificate_is_fetched_once(paypal, product, post):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()
    body, headers = webhook(payment, cert_url=paypal.cert_url)
    post(body, headers)
    after = money_state(order)

    post(body, headers)

    assert money_state(order) == after
    assert (last_notification().outcome, paypal.cert_fetches) == (NotificationOutcome.DUPLICATE, 1)


def test_tampered_body_is_refused(paypal, product, post):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()
    body, headers = webhook(payment, cert_url=paypal.cert_url)
    before = money_state(order)

    post(body.replace(b'"COMPLETED"', b'"COMPLETED" '), headers)

    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED, "bad signature")


@pytest.mark.parametrize("change", [{"webhook_id": "ANOTHER-WEBHOOK"}, {"key": made_key("forger").private},
                                    {"transmission_id": "another-transmission"}])
def test_signature_for_another_webhook_key_or_transmission_is_refused(paypal, product, post, change):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()
    body, headers = webhook(payment, cert_url=paypal.cert_url, **change)
    if "transmission_id" in change:
        headers["Paypal-Transmission-Id"] = "69cd13f0-d67a-11e5-baa3-778b53f4ae55"
    before = money_state(order)

    post(body, headers)

    assert money_state(order) == before
    assert last_notification().detail == "bad signature"


@pytest.mark.parametrize("cert_url", ["https://evil.example/v1/notifications/certs/CERT-1",
                                      "https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1",
                                      "https://api.paypal.com/v1/notifications/certs/CERT-1", ""])
def test_certificate_from_anywhere_but_the_allowed_host_is_refused_without_fetching(paypal, product, post, cert_url):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()

    post(*webhook(payment, cert_url=cert_url))

    assert last_notification().detail in ("certificate URL is not on PayPal's host", "missing PAYPAL-TRANSMISSION-* headers")
    assert paypal.cert_fetches == 0
    assert money_state(order).order_status == OrderStatus.PENDING


@pytest.mark.parametrize("cert, detail", [
    ({"valid": (datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC))}, "certificate is not valid now"),
    ({"name": "evil.example"}, "certificate is not PayPal's message-verification certificate"),
])
def test_expired_or_foreign_certificate_is_refused(paypal, product, post, cert, detail):
    paypal.cert_pem = certificate(**cert)
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()

    post(*webhook(payment, cert_url=paypal.cert_url))

    assert (last_notification().outcome, last_notification().detail) == (NotificationOutcome.REJECTED, detail)
    assert money_state(order).order_status == OrderStatus.PENDING


def test_authentic_webhook_for_the_wrong_amount_is_refused(paypal, product, post):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()
    before = money_state(order)

    post(*webhook(payment, cert_url=paypal.cert_url, value="0.99"))

    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().payment) == (NotificationOutcome.REJECTED, payment)


def test_other_events_are_stored_and_ignored(paypal, product, post):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()

    post(*webhook(payment, cert_url=paypal.cert_url, event_type="CHECKOUT.ORDER.APPROVED"))

    assert last_notification().outcome == NotificationOutcome.IGNORED
