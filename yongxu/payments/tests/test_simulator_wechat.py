"""The demo's gateway simulator speaks WeChat Pay API v3 (Native) too: the shop's real ``wechat`` provider
orders through it with its signed Authorization, the buyer pays on its (clearly labelled) page, and its
callback, signed with the simulator's platform key and encrypted with the API v3 key, reaches the shop over
real HTTP (the live server). Its keys are generated for the run, never committed."""

import json
from decimal import Decimal
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from wechatpayv3.utils import aes_decrypt, rsa_verify

from yongxu.core.clock import now
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.models import NotificationOutcome, Payment, PaymentSource
from yongxu.payments.providers.keys import load_public_key, sign_sha256
from yongxu.payments.registry import get_provider
from yongxu.payments.simulator.demo_keys import public_pem
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.simulator.wechat import notification
from yongxu.payments.tests.conftest import MoneyState, last_notification, money_state
from yongxu.payments.tests.loopback import made_key

DELIVERED_ONE = MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0, stock_available=4,
                           payments_succeeded=1, buyer_emails=1)


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
    settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, "wechat": {
        **settings.YONGXU_PAYMENT_PROVIDERS["wechat"], "api_base": f"{live_shop}/simulator/wechat"}}
    return live_shop


def _buy_and_reach_the_simulator(client, product, base_url) -> tuple[Order, Payment, SimulatedTrade]:
    response = client.post(f"/p/{product.slug}/buy/", {"quantity": "1", "email": "buyer@example.com",
                                                       "provider": "wechat"})
    order = Order.objects.get()
    payment = Payment.objects.get(order=order, provider="wechat")
    shop_page = f"/o/{order.token}/pay/{payment.reference}/"
    assert (response.status_code, response["Location"]) == (302, shop_page)
    page = client.get(shop_page).content.decode()
    trade = SimulatedTrade.objects.get(protocol="wechat")
    scan = f"{base_url}/simulator/wechat/pay/{trade.trade_no}/"
    assert payment.qr_payload == scan and f'href="{scan}"' in page and "DEMO SIMULATOR" in page
    simulator_page = client.get(urlsplit(scan).path).content.decode()
    assert "DEMO SIMULATOR" in simulator_page and f"{trade.money} CNY" in simulator_page
    assert (trade.out_trade_no, trade.money, trade.notify_url, trade.pid) == (
        payment.reference, "9.99", f"{base_url}/pay/notify/wechat/", django_settings.YONGXU_PAYMENT_PROVIDERS["wechat"]["mchid"])
    return order, payment, trade


@pytest.mark.django_db(transaction=True)
def test_paying_on_the_simulator_delivers_over_http(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)

    response = client.post(f"/simulator/wechat/pay/{trade.trade_no}/act/", {"action": "pay"})

    trade.refresh_from_db()
    payment.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, f"/simulator/wechat/pay/{trade.trade_no}/")
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

    client.post(f"/simulator/wechat/pay/{trade.trade_no}/act/", {"action": "pay_wrong"})

    trade.refresh_from_db()
    assert (trade.status, trade.paid_money, trade.notified) == (1, "0.01", True)  # the shop answered, refusing
    assert money_state(order) == before
    assert last_notification().outcome == NotificationOutcome.REJECTED
    assert list(Alert.objects.values_list("kind", flat=True)) == [AlertKind.BAD_NOTIFICATION]


@pytest.mark.django_db(transaction=True)
def test_cancelling_pays_nothing(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)

    response = client.post(f"/simulator/wechat/pay/{trade.trade_no}/act/", {"action": "cancel"}, follow=True)

    trade.refresh_from_db()
    assert "You cancelled" in response.content.decode()
    assert (trade.status, trade.notify_attempts) == (0, 0)
    assert money_state(order).order_status == OrderStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_lost_notification_is_made_good_by_the_query_on_the_pay_page_poll(client, product, simulator):
    order, payment, trade = _buy_and_reach_the_simulator(client, product, simulator)
    with mock.patch("yongxu.payments.simulator.wechat.send_notification") as firewall_eats_it:
        client.post(f"/simulator/wechat/pay/{trade.trade_no}/act/", {"action": "pay"})
    assert firewall_eats_it.call_count == 1
    assert money_state(order).order_status == OrderStatus.PENDING

    poll = client.get(f"/o/{order.token}/pay/{payment.reference}/", headers={"HX-Request": "true"})

    assert (poll.status_code, poll["HX-Redirect"]) == (204, f"/o/{order.token}/")
    assert money_state(order) == DELIVERED_ONE
    payment.refresh_from_db()
    assert (payment.source, payment.gateway_trade_no) == (PaymentSource.QUERY, trade.trade_no)


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
