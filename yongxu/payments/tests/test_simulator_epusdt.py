"""The demo's gateway simulator speaks epusdt's GMPay API too: the shop's real ``epusdt`` provider creates
the transaction through it, the buyer "sends USDT" on its (clearly labelled) page, and its signed JSON
callback reaches the shop over real HTTP (the live server). Its API token is generated, never committed."""

import json
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from epusdt.signature import generate_gmpay_signature, verify_gmpay_signature

from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.models import NotificationOutcome, Payment, PaymentSource
from yongxu.payments.simulator.epusdt import ADDRESS, notification_payload
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.tests.conftest import MoneyState, last_notification, money_state

DELIVERED_ONE = MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0, stock_available=4,
                           payments_succeeded=1, buyer_emails=1)


def test_demo_mode_configures_epusdt_against_the_simulator():
    config = django_settings.YONGXU_PAYMENT_PROVIDERS["epusdt"]
    assert django_settings.EPUSDT_SIMULATED
    assert (config["enabled"], config["simulated"], config["pid"]) == (True, True, "1000")
    assert config["api_base"] == f"{django_settings.SITE_URL}/simulator/epusdt"
    secret = (django_settings.VAR_DIR / "secrets" / "epusdt_simulator_secret").read_text().strip()
    assert config["secret"] == secret and len(secret) == 32


@pytest.fixture
def simulator(live_shop, settings):
    settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, "epusdt": {
        **settings.YONGXU_PAYMENT_PROVIDERS["epusdt"], "api_base": f"{live_shop}/simulator/epusdt"}}
    return live_shop


def _buy_and_reach_the_simulator(client, product, base_url) -> tuple[Order, Payment, SimulatedTrade]:
    response = client.post(f"/p/{product.slug}/buy/", {"quantity": "1", "email": "buyer@example.com",
                                                       "provider": "epusdt"})
    order = Order.objects.get()
    payment = Payment.objects.get(order=order, provider="epusdt")
    shop_page = f"/o/{order.token}/pay/{payment.reference}/"
    assert (response.status_code, response["Location"]) == (302, shop_page)
    page = client.get(shop_page).content.decode()
    trade = SimulatedTrade.objects.get(protocol="epusdt")
    scan = f"{base_url}/simulator/epusdt/pay/{trade.trade_no}/"
    usdt = trade.details["actual_amount"]
    assert payment.qr_payload == scan and f'href="{scan}"' in page and "DEMO SIMULATOR" in page
    assert (str(payment.crypto_amount.normalize()), payment.crypto_currency, payment.crypto_address) == (
        usdt, "USDT", ADDRESS)
    assert usdt == "1.3901" and ADDRESS in page  # 9.99 CNY at 7.20, rounded up, told apart by 0.0001
    simulator_page = client.get(urlsplit(scan).path).content.decode()
    assert "DEMO SIMULATOR" in simulator_page and f"{usdt} USDT" in simulator_page and ADDRESS in simulator_page
    assert (trade.out_trade_no, trade.money, trade.notify_url, payment.gateway_session) == (
        payment.reference, "9.99", f"{base_url}/pay/notify/epusdt/", trade.trade_no)
    return order, payment, trade


@pytest.mark.django_db(transaction=True)
def test_paying_on_the_simulator_delivers_over_http(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)

    response = client.post(f"/simulator/epusdt/pay/{trade.trade_no}/act/", {"action": "pay"})

    trade.refresh_from_db()
    payment.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, f"/simulator/epusdt/pay/{trade.trade_no}/")
    assert (trade.status, trade.paid_money, trade.notified, trade.notify_attempts) == (1, "9.99", True, 1)
    assert money_state(order) == DELIVERED_ONE
    assert (payment.source, payment.gateway_trade_no) == (PaymentSource.NOTIFY, trade.trade_no)
    assert (last_notification().outcome, last_notification().method) == (NotificationOutcome.APPLIED, "POST")
    poll = client.get(f"/o/{order.token}/pay/{payment.reference}/", headers={"HX-Request": "true"})
    assert (poll.status_code, poll["HX-Redirect"]) == (204, f"/o/{order.token}/")


@pytest.mark.django_db(transaction=True)
def test_paying_the_wrong_amount_leaves_the_order_unpaid(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)
    before = money_state(order)

    client.post(f"/simulator/epusdt/pay/{trade.trade_no}/act/", {"action": "pay_wrong"})

    trade.refresh_from_db()
    assert (trade.status, trade.paid_money, trade.notified) == (1, "0.01", True)  # the shop answered, refusing
    assert money_state(order) == before
    assert last_notification().outcome == NotificationOutcome.REJECTED
    assert list(Alert.objects.values_list("kind", flat=True)) == [AlertKind.BAD_NOTIFICATION]


@pytest.mark.django_db(transaction=True)
def test_cancelling_pays_nothing(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)

    response = client.post(f"/simulator/epusdt/pay/{trade.trade_no}/act/", {"action": "cancel"}, follow=True)

    trade.refresh_from_db()
    assert "You cancelled" in response.content.decode()
    assert (trade.status, trade.notify_attempts) == (0, 0)
    assert money_state(order).order_status == OrderStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_lost_notification_is_made_good_by_the_query_on_the_pay_page_poll(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)
    with mock.patch("yongxu.payments.simulator.epusdt.send_notification") as firewall_eats_it:
        client.post(f"/simulator/epusdt/pay/{trade.trade_no}/act/", {"action": "pay"})
    assert firewall_eats_it.call_count == 1
    assert money_state(order).order_status == OrderStatus.PENDING

    poll = client.get(f"/o/{order.token}/pay/{payment.reference}/", headers={"HX-Request": "true"})

    assert (poll.status_code, poll["HX-Redirect"]) == (204, f"/o/{order.token}/")
    assert money_state(order) == DELIVERED_ONE
    payment.refresh_from_db()
    assert (payment.source, payment.gateway_trade_no) == (PaymentSource.QUERY, trade.trade_no)


@pytest.mark.django_db
def test_requests_signed_with_another_token_are_refused(client):
    body = {"pid": "1000", "order_id": "YX-1", "currency": "cny", "amount": "9.99", "notify_url": "http://x.test/",
            "redirect_url": "http://x.test/", "token": "usdt", "network": "tron"}
    body["signature"] = generate_gmpay_signature(body, "not-the-token")

    response = client.post("/simulator/epusdt/payments/gmpay/v1/order/create-transaction", json.dumps(body),
                           content_type="application/json")

    assert (response.status_code, response.json()["status_code"]) == (400, 401)
    assert SimulatedTrade.objects.count() == 0


@pytest.mark.django_db
def test_the_callback_verifies_with_the_epusdt_package(settings):
    """An independent implementation agrees the simulator signs as epusdt does."""
    trade = SimulatedTrade.objects.create(protocol="epusdt", trade_no="2025050117000012345678", pid="1000",
                                          out_trade_no="YX-1", pay_type="usdt", name="Gift card", money="9.99",
                                          paid_money="9.99", status=1, notify_url="http://shop.test/pay/notify/epusdt/",
                                          details={"actual_amount": "1.3901", "address": ADDRESS, "currency": "cny"})
    payload = notification_payload(trade)
    secret = settings.YONGXU_PAYMENT_PROVIDERS["epusdt"]["secret"]

    assert verify_gmpay_signature(payload, secret)
    assert not verify_gmpay_signature({**payload, "amount": 0.01}, secret)


def test_the_simulator_is_off_when_the_simulator_setting_is_off(client, settings):
    settings.YONGXU_SIMULATOR = False
    assert client.post("/simulator/epusdt/payments/gmpay/v1/order/create-transaction", {}).status_code == 404
