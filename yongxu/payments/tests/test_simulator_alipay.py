"""The demo's gateway simulator speaks Alipay's OpenAPI too: the shop's real ``alipay`` provider precreates
through it, the buyer pays on its (clearly labelled) page, and its RSA2-signed notification reaches the shop
over real HTTP (the live server), as Alipay's would. Its keys are generated for the run, never committed."""

import json
from decimal import Decimal

import pytest
from alipay import AliPay
from django.conf import settings as django_settings

from yongxu.orders.models import Order
from yongxu.payments.models import Payment
from yongxu.payments.providers.alipay import signing_string
from yongxu.payments.providers.keys import load_private_key, sign_sha256
from yongxu.payments.registry import get_provider
from yongxu.payments.simulator.alipay import notification_form
from yongxu.payments.simulator.demo_keys import public_pem
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.tests.loopback import made_key
from yongxu.payments.tests.simulated import buy_and_reach_the_simulator, point_at_simulator


def test_demo_mode_configures_alipay_against_the_simulator():
    config = django_settings.YONGXU_PAYMENT_PROVIDERS["alipay"]
    assert django_settings.ALIPAY_SIMULATED
    assert (config["enabled"], config["simulated"], config["app_id"]) == (True, True, "2021000000000000")
    assert config["gateway_url"] == f"{django_settings.SITE_URL}/simulator/alipay/gateway.do"
    assert config["alipay_public_key"] == public_pem(django_settings.ALIPAY_SIMULATOR_PRIVATE_KEY)
    secrets = django_settings.VAR_DIR / "secrets"
    assert (secrets / "alipay_app_private_key").read_text().strip() == config["private_key"].strip()
    assert config["private_key"] != django_settings.ALIPAY_SIMULATOR_PRIVATE_KEY


@pytest.fixture
def simulator(live_shop, settings):
    """The shop at the live server's address, its ``alipay`` provider talking to the simulator there."""
    return point_at_simulator(settings, live_shop, "alipay")


def _buy_and_reach_the_simulator(client, product, base_url) -> tuple[Order, Payment, SimulatedTrade]:
    order, payment, trade = buy_and_reach_the_simulator(client, product, base_url, "alipay")
    simulator_page = client.get(f"/simulator/alipay/pay/{trade.trade_no}/").content.decode()
    assert f"{trade.money} CNY" in simulator_page
    return order, payment, trade


@pytest.mark.django_db(transaction=True)
def test_refunds_through_the_simulator_are_idempotent_and_capped(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)
    client.post(f"/simulator/alipay/pay/{trade.trade_no}/act/", {"action": "pay"})
    provider = get_provider("alipay", enabled_only=False)

    first = provider.refund(payment, amount=Decimal("4.00"), request_id="R1", reason="could not deliver")
    again = provider.refund(payment, amount=Decimal("4.00"), request_id="R1", reason="could not deliver")

    trade.refresh_from_db()
    assert first.done and again.done and trade.refunds == {"R1": "4.00"}
    with pytest.raises(Exception, match="ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"):
        provider.refund(payment, amount=Decimal("6.00"), request_id="R2", reason="too much")


@pytest.mark.django_db(transaction=True)
def test_requests_signed_with_another_key_are_refused(client, simulator, settings):
    params = {"app_id": "2021000000000000", "method": "alipay.trade.precreate", "charset": "utf-8",
              "sign_type": "RSA2", "version": "1.0", "timestamp": "2025-05-01 17:00:00", "notify_url": "http://x.test/",
              "biz_content": json.dumps({"out_trade_no": "YX-1", "total_amount": "0.01", "subject": "x"})}
    params["sign"] = sign_sha256(made_key("not-the-merchant").private, signing_string(params))

    answer = json.loads(client.post("/simulator/alipay/gateway.do", params).content)

    assert answer["alipay_trade_precreate_response"]["sub_code"] == "isv.invalid-signature"
    assert "sign" not in answer and SimulatedTrade.objects.count() == 0


@pytest.mark.django_db
def test_the_notification_verifies_with_python_alipay_sdk(settings):
    """An independent implementation agrees the simulator signs as Alipay does."""
    trade = SimulatedTrade.objects.create(protocol="alipay", trade_no="2025050122001400000000001", pid="2021000000000000",
                                          out_trade_no="YX-1", pay_type="alipay", name="Gift card", money="9.99",
                                          paid_money="9.99", status=1, notify_url="http://shop.test/pay/notify/alipay/")
    sdk = AliPay(appid="2021000000000000", app_private_key_string=made_key("sdk-app").private_pem,
                 alipay_public_key_string=public_pem(settings.ALIPAY_SIMULATOR_PRIVATE_KEY))
    form = notification_form(trade)
    signature = form.pop("sign")

    assert sdk.verify(form, signature)
    assert not sdk.verify({**form, "total_amount": "0.01"}, signature)
    assert load_private_key(settings.ALIPAY_SIMULATOR_PRIVATE_KEY)  # a real RSA key, made for this run


def test_the_simulator_is_off_when_the_simulator_setting_is_off(client, settings):
    settings.YONGXU_SIMULATOR = False
    assert client.post("/simulator/alipay/gateway.do", {}).status_code == 404
