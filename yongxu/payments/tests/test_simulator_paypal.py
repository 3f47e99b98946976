"""The demo's gateway simulator speaks PayPal's REST API too: the shop's real ``paypal`` provider gets its
OAuth token and creates the order through it, the buyer approves on its (clearly labelled) page, and its
PAYMENT.CAPTURE.COMPLETED webhook, signed with the simulator's key whose self-signed certificate the provider
fetches from the simulator (the only allowed certificate host in simulated mode), reaches the shop over real
HTTP (the live server). Its key and certificate are generated for the run, never committed."""

import base64
import json
import zlib
from decimal import Decimal
from unittest import mock
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.hashes import SHA256
from django.conf import settings as django_settings

from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.models import NotificationOutcome, Payment, PaymentSource
from yongxu.payments.registry import get_provider
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.simulator.paypal import notification
from yongxu.payments.tests.conftest import MoneyState, last_notification, money_state

DELIVERED_ONE = MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0, stock_available=4,
                           payments_succeeded=1, buyer_emails=1)


def test_demo_mode_configures_paypal_against_the_simulator():
    config = django_settings.YONGXU_PAYMENT_PROVIDERS["paypal"]
    secrets = django_settings.VAR_DIR / "secrets"
    assert django_settings.PAYPAL_SIMULATED and (config["enabled"], config["simulated"]) == (True, True)
    assert config["api_base"] == f"{django_settings.SITE_URL}/simulator/paypal"
    assert config["cert_url_prefixes"] == [f"{django_settings.SITE_URL}/simulator/paypal/"]
    assert (secrets / "paypal_simulator_secret").read_text().strip() == config["secret"]
    certificate = x509.load_pem_x509_certificate(django_settings.PAYPAL_SIMULATOR_CERTIFICATE.encode())
    assert certificate.subject.rfc4514_string() == "CN=messageverificationcerts.paypal.com"
    assert (secrets / "paypal_simulator_webhook_certificate").read_text().strip() == \
        django_settings.PAYPAL_SIMULATOR_CERTIFICATE.strip()


@pytest.fixture
def simulator(live_shop, settings):
    settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, "paypal": {
        **settings.YONGXU_PAYMENT_PROVIDERS["paypal"], "api_base": f"{live_shop}/simulator/paypal",
        "cert_url_prefixes": [f"{live_shop}/simulator/paypal/"]}}
    return live_shop


def _buy_and_reach_the_simulator(client, product, base_url) -> tuple[Order, Payment, SimulatedTrade]:
    response = client.post(f"/p/{product.slug}/buy/", {"quantity": "1", "email": "buyer@example.com",
                                                       "provider": "paypal"})
    order = Order.objects.get()
    payment = Payment.objects.get(order=order, provider="paypal")
    trade = SimulatedTrade.objects.get(protocol="paypal")
    approve = f"{base_url}/simulator/paypal/pay/{trade.trade_no}/"
    assert (response.status_code, response["Location"]) == (302, approve)
    assert payment.gateway_session == trade.trade_no
    simulator_page = client.get(urlsplit(approve).path).content.decode()
    assert "DEMO SIMULATOR" in simulator_page and f"{trade.money} {payment.currency}" in simulator_page
    assert (trade.out_trade_no, trade.money, trade.notify_url) == (payment.reference, "9.99",
                                                                   f"{base_url}/pay/notify/paypal/")
    assert trade.return_url == f"{base_url}/o/{order.token}/return/?ref={payment.reference}"
    return order, payment, trade


@pytest.mark.django_db(transaction=True)
def test_paying_on_the_simulator_delivers_over_http(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)

    response = client.post(f"/simulator/paypal/pay/{trade.trade_no}/act/", {"action": "pay"})

    trade.refresh_from_db()
    payment.refresh_from_db()
    assert (response.status_code, response["Location"]) == (
        302, f"{trade.return_url}&token={trade.trade_no}&PayerID=SIMULATORPAYER")
    assert (trade.status, trade.paid_money, trade.notified, trade.notify_attempts) == (1, "9.99", True, 1)
    assert money_state(order) == DELIVERED_ONE
    assert (payment.source, payment.gateway_trade_no) == (PaymentSource.NOTIFY, trade.details["capture_id"])
    assert (last_notification().outcome, last_notification().method) == (NotificationOutcome.APPLIED, "POST")
    back = client.get(urlsplit(response["Location"]).path + "?" + urlsplit(response["Location"]).query)
    assert back.status_code == 302 and back["Location"].endswith(f"/o/{order.token}/")


@pytest.mark.django_db(transaction=True)
def test_paying_the_wrong_amount_leaves_the_order_unpaid(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)
    before = money_state(order)

    response = client.post(f"/simulator/paypal/pay/{trade.trade_no}/act/", {"action": "pay_wrong"})
    client.get(urlsplit(response["Location"]).path + "?" + urlsplit(response["Location"]).query)  # the return queries

    trade.refresh_from_db()
    assert (trade.status, trade.paid_money, trade.notified) == (1, "0.01", True)  # the shop answered, refusing
    assert money_state(order) == before
    assert last_notification().outcome == NotificationOutcome.REJECTED
    assert set(Alert.objects.values_list("kind", flat=True)) == {AlertKind.BAD_NOTIFICATION}


@pytest.mark.django_db(transaction=True)
def test_cancelling_pays_nothing_and_returns_to_the_shop(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)

    response = client.post(f"/simulator/paypal/pay/{trade.trade_no}/act/", {"action": "cancel"})

    trade.refresh_from_db()
    assert response["Location"] == f"{simulator}/o/{order.token}/?token={trade.trade_no}"
    assert (trade.status, trade.notify_attempts) == (0, 0)
    assert money_state(order).order_status == OrderStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_lost_webhook_is_made_good_by_the_query_on_return(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)
    with mock.patch("yongxu.payments.simulator.paypal.notify_shop") as firewall_eats_it:
        response = client.post(f"/simulator/paypal/pay/{trade.trade_no}/act/", {"action": "pay"})
    assert firewall_eats_it.call_count == 1
    assert money_state(order).order_status == OrderStatus.PENDING

    client.get(urlsplit(response["Location"]).path + "?" + urlsplit(response["Location"]).query)

    assert money_state(order) == DELIVERED_ONE
    payment.refresh_from_db()
    trade.refresh_from_db()
    assert (payment.source, payment.gateway_trade_no) == (PaymentSource.QUERY, trade.details["capture_id"])


@pytest.mark.django_db(transaction=True)
def test_an_approved_order_is_captured_on_return_and_its_webhook_goes_out(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)
    SimulatedTrade.objects.filter(pk=trade.pk).update(details={**trade.details, "status": "APPROVED"})

    client.get(f"/o/{order.token}/return/?ref={payment.reference}&token={trade.trade_no}")

    trade.refresh_from_db()
    payment.refresh_from_db()
    assert money_state(order) == DELIVERED_ONE
    assert (trade.status, trade.details["status"], trade.notified) == (1, "COMPLETED", True)
    assert trade.details["capture_request_id"] == f"capture-{payment.reference}"
    # The capture's webhook (sent at once here, the task queue being immediate) paid it; the query's own
    # answer about the same capture then changed nothing.
    assert (payment.source, payment.gateway_trade_no) == (PaymentSource.NOTIFY, trade.details["capture_id"])
    assert last_notification().outcome == NotificationOutcome.APPLIED
    provider = get_provider("paypal", enabled_only=False)
    again = provider.call("POST", f"/v2/checkout/orders/{trade.trade_no}/capture",
                          request_id=f"capture-{payment.reference}")
    assert again["status"] == "COMPLETED"  # the same PayPal-Request-Id repeats harmlessly


@pytest.mark.django_db(transaction=True)
def test_refunds_through_the_simulator_are_idempotent_and_capped(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)
    client.post(f"/simulator/paypal/pay/{trade.trade_no}/act/", {"action": "pay"})
    payment.refresh_from_db()
    provider = get_provider("paypal", enabled_only=False)

    first = provider.refund(payment, amount=Decimal("4.00"), request_id="R1", reason="could not deliver")
    again = provider.refund(payment, amount=Decimal("4.00"), request_id="R1", reason="could not deliver")

    trade.refresh_from_db()
    assert first.done and again.done and first.refund_id == again.refund_id and trade.refunds == {"R1": "4.00"}
    with pytest.raises(Exception, match="422"):
        provider.refund(payment, amount=Decimal("6.00"), request_id="R2", reason="too much")


@pytest.mark.django_db
def test_wrong_client_credentials_get_no_token(client):
    response = client.post("/simulator/paypal/v1/oauth2/token", {"grant_type": "client_credentials"},
                           headers={"Authorization": "Basic QUJDOmRlZg=="})
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")
    orders = client.post("/simulator/paypal/v2/checkout/orders", "{}", content_type="application/json",
                         headers={"Authorization": "Bearer A21AAforged"})
    assert orders.status_code == 401 and SimulatedTrade.objects.count() == 0


@pytest.mark.django_db
def test_the_webhook_signature_verifies_with_the_served_certificate(client, settings):
    """Checked independently of the provider: PayPal's documented message, signed by the certificate's key."""
    config = settings.YONGXU_PAYMENT_PROVIDERS["paypal"]
    trade = SimulatedTrade.objects.create(protocol="paypal", trade_no="5O190127TN3647100", pid=config["client_id"],
                                          out_trade_no="YX-1", pay_type="paypal", name="Gift card", money="9.99",
                                          paid_money="9.99", status=1, notify_url="http://shop.test/pay/notify/paypal/",
                                          details={"currency": "USD", "status": "COMPLETED", "capture_id": "CAP1"})
    body, headers = notification(trade)
    pem = client.get(urlsplit(headers["Paypal-Cert-Url"]).path)
    certificate = x509.load_pem_x509_certificate(pem.content)
    message = (f"{headers['Paypal-Transmission-Id']}|{headers['Paypal-Transmission-Time']}|{config['webhook_id']}|"
               f"{zlib.crc32(body)}").encode()
    certificate.public_key().verify(base64.b64decode(headers["Paypal-Transmission-Sig"]), message,
                                    padding.PKCS1v15(), SHA256())
    assert headers["Paypal-Cert-Url"].startswith(tuple(config["cert_url_prefixes"]))
    event = json.loads(body)
    assert (event["event_type"], event["resource"]["custom_id"], event["resource"]["amount"]) == (
        "PAYMENT.CAPTURE.COMPLETED", "YX-1", {"currency_code": "USD", "value": "9.99"})


def test_the_simulator_is_off_when_the_simulator_setting_is_off(client, settings):
    settings.YONGXU_SIMULATOR = False
    assert client.post("/simulator/paypal/v1/oauth2/token", {}).status_code == 404
