"""The demo's gateway simulator speaks epusdt's GMPay API too: the shop's real ``epusdt`` provider creates
the transaction through it, the buyer "sends USDT" on its (clearly labelled) page, and its signed JSON
callback reaches the shop over real HTTP (the live server). Its API token is generated, never committed."""

import json

import pytest
from django.conf import settings as django_settings
from epusdt.signature import generate_gmpay_signature, verify_gmpay_signature

from yongxu.payments.simulator.epusdt import ADDRESS, notification_payload
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.tests.simulated import buy_and_reach_the_simulator, point_at_simulator


def test_demo_mode_configures_epusdt_against_the_simulator():
    config = django_settings.YONGXU_PAYMENT_PROVIDERS["epusdt"]
    assert django_settings.EPUSDT_SIMULATED
    assert (config["enabled"], config["simulated"], config["pid"]) == (True, True, "1000")
    assert config["api_base"] == f"{django_settings.SITE_URL}/simulator/epusdt"
    secret = (django_settings.VAR_DIR / "secrets" / "epusdt_simulator_secret").read_text().strip()
    assert config["secret"] == secret and len(secret) == 32


@pytest.fixture
def simulator(live_shop, settings):
    return point_at_simulator(settings, live_shop, "epusdt")


@pytest.mark.django_db(transaction=True)
def test_the_buyer_is_asked_for_the_exact_usdt_amount_at_the_address(client, product, simulator):
    order, payment, trade = buy_and_reach_the_simulator(client, product, simulator, "epusdt")


    usdt = trade.details["actual_amount"]
    page = client.get(f"/o/{order.token}/pay/{payment.reference}/").content.decode()
    assert (str(payment.crypto_amount.normalize()), payment.crypto_currency, payment.crypto_address) == (
        usdt, "USDT", ADDRESS)
    assert usdt == "1.3901" and ADDRESS in page  # 9.99 CNY at 7.20, rounded up, told apart by 0.0001
    simulator_page = client.get(f"/simulator/epusdt/pay/{trade.trade_no}/").content.decode()
    assert f"{usdt} USDT" in simulator_page and ADDRESS in simulator_page
    assert payment.gateway_session == trade.trade_no


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
