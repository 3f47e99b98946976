"""The demo's gateway simulator speaks WeChat Pay API v3 (Native) too: the shop's real ``wechat`` provider
orders through it with its signed Authorization, the buyer pays on its (clearly labelled) page, and its
callback, signed with the simulator's platform key and encrypted with the API v3 key, reaches the shop over
real HTTP (the live server). Its keys are generated for the run, never committed."""

import json
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from wechatpayv3.utils import aes_decrypt, rsa_verify

from yongxu.core.clock import now
from yongxu.orders.models import Order
from yongxu.payments.models import Payment
from yongxu.payments.providers.keys import load_public_key, sign_sha256
from yongxu.payments.registry import get_provider
from yongxu.payments.simulator.demo_keys import public_pem
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.simulator.wechat import notification
from yongxu.payments.tests.loopback import made_key
from yongxu.payments.tests.simulated import buy_and_reach_the_simulator, point_at_simulator


def test_demo_mode_configures_wechat_against_the_simulator():
    config = django_settings.YONGXU_PAYMENT_PROVIDERS["wechat"]
    secrets = django_settings.VAR_DIR / "secrets"
    assert django_settings.WECHAT_SIMULATED and (config["enabled"], config["simulated"]) == (True, True)
    assert config["api_base"] == f"{django_settings.SITE_URL}/simulator/wechat"
    assert config["platform_public_key"] == public_pem(django_settings.WECHAT_SIMULATOR_PRIVATE_KEY)
    assert (secrets / "wechat_merchant_private_key").read_text().strip() == config["private_key"].strip()
    assert (secrets / "wechat_apiv3_key").read_text().strip() == config["apiv3_key"] and len(config["apiv3_key"]) == 32
    assert config["private_key"] != django_settings.WECHAT_SIMULATOR_PRIVATE_KEY


@pytest.fixture
def simulator(live_shop, settings):
    return point_at_simulator(settings, live_shop, "wechat")


def _buy_and_reach_the_simulator(client, product, base_url) -> tuple[Order, Payment, SimulatedTrade]:
    order, payment, trade = buy_and_reach_the_simulator(client, product, base_url, "wechat")
    simulator_page = client.get(f"/simulator/wechat/pay/{trade.trade_no}/").content.decode()
    assert f"{trade.money} CNY" in simulator_page
    assert trade.pid == django_settings.YONGXU_PAYMENT_PROVIDERS["wechat"]["mchid"]
    return order, payment, trade


@pytest.mark.django_db(transaction=True)
def test_refunds_through_the_simulator_are_idempotent_and_capped(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)
    client.post(f"/simulator/wechat/pay/{trade.trade_no}/act/", {"action": "pay"})
    provider = get_provider("wechat", enabled_only=False)

    first = provider.refund(payment, amount=Decimal("4.00"), request_id="R1", reason="could not deliver")
    again = provider.refund(payment, amount=Decimal("4.00"), request_id="R1", reason="could not deliver")

    trade.refresh_from_db()
    assert first.done and again.done and first.refund_id == again.refund_id and trade.refunds == {"R1": "4.00"}
    with pytest.raises(Exception, match="400"):
        provider.refund(payment, amount=Decimal("6.00"), request_id="R2", reason="too much")


@pytest.mark.django_db
def test_requests_signed_with_another_key_are_refused(client, settings):
    config = settings.YONGXU_PAYMENT_PROVIDERS["wechat"]
    body = json.dumps({"appid": config["appid"], "mchid": config["mchid"], "description": "x", "out_trade_no": "YX-1",
                       "notify_url": "http://x.test/", "amount": {"total": 1, "currency": "CNY"}})
    timestamp, nonce = str(int(now().timestamp())), "N0NCE"
    signature = sign_sha256(made_key("not-the-merchant").private,
                            f"POST\n/v3/pay/transactions/native\n{timestamp}\n{nonce}\n{body}\n")
    authorization = (f'WECHATPAY2-SHA256-RSA2048 mchid="{config["mchid"]}",nonce_str="{nonce}",'
                     f'signature="{signature}",timestamp="{timestamp}",serial_no="{config["cert_serial"]}"')

    response = client.post("/simulator/wechat/v3/pay/transactions/native", body, content_type="application/json",
                           headers={"Authorization": authorization})

    assert (response.status_code, response.json()["code"]) == (401, "SIGN_ERROR")
    assert SimulatedTrade.objects.count() == 0


@pytest.mark.django_db
def test_the_callback_verifies_and_decrypts_with_wechatpayv3(settings):
    """An independent implementation agrees the simulator signs and encrypts as WeChat Pay does."""
    config = settings.YONGXU_PAYMENT_PROVIDERS["wechat"]
    trade = SimulatedTrade.objects.create(protocol="wechat", trade_no="4200" + "0" * 28, pid=config["mchid"],
                                          out_trade_no="YX-1", pay_type="NATIVE", name="Gift card", money="9.99",
                                          paid_money="9.99", status=1, notify_url="http://shop.test/pay/notify/wechat/",
                                          details={"appid": config["appid"]})
    body, headers = notification(trade)
    platform = load_public_key(config["platform_public_key"])

    assert headers["Wechatpay-Serial"] == config["platform_serial"]
    assert rsa_verify(headers["Wechatpay-Timestamp"], headers["Wechatpay-Nonce"], body.decode(),
                      headers["Wechatpay-Signature"], platform)
    assert not rsa_verify(headers["Wechatpay-Timestamp"], headers["Wechatpay-Nonce"], body.decode() + " ",
                          headers["Wechatpay-Signature"], platform)
    resource = json.loads(body)["resource"]
    plain = json.loads(aes_decrypt(resource["nonce"], resource["ciphertext"], resource["associated_data"],
                                   config["apiv3_key"]))
    assert (plain["out_trade_no"], plain["trade_state"], plain["amount"]["total"], plain["transaction_id"]) == (
        "YX-1", "SUCCESS", 999, trade.trade_no)


def test_the_simulator_is_off_when_the_simulator_setting_is_off(client, settings):
    settings.YONGXU_SIMULATOR = False
    assert client.post("/simulator/wechat/v3/pay/transactions/native", {}).status_code == 404
