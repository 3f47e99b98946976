"""Payments-only helpers: an order with a payment attempt, gateway callbacks signed by an independent
signer (epusdt's, not ours), a snapshot of everything a payment can change, and a fake gateway that is a
real HTTP server on loopback (Epay's ``api.php`` and Stripe's Checkout Sessions)."""

import itertools
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from epusdt.signature import generate_epay_signature

from yongxu.core.money import format_amount
from yongxu.inventory.models import CardKey, KeyStatus
from yongxu.orders.models import Order
from yongxu.orders.services import place_order
from yongxu.payments.models import Payment, PaymentNotification, PaymentStatus
from yongxu.payments.services import start_payment

EPAY_NOTIFY = "/pay/notify/epay/"
STRIPE_NOTIFY = "/pay/notify/stripe/"
STRIPE_WEBHOOK_SECRET = "whsec_test_yongxu"
BOUGHT = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
_trade_numbers = itertools.count(1)


def epay_config() -> dict:
    return settings.YONGXU_PAYMENT_PROVIDERS["epay"]


def buy(product, *, quantity: int = 1, email: str = "buyer@example.com", provider: str = "epay"):
    """A buyer places an order and is sent to the gateway: returns (order, payment)."""
    order = place_order(product, quantity=quantity, email=email)
    return order, pay_again(order, provider=provider)


def pay_again(order: Order, *, provider: str = "epay") -> Payment:
    """The buyer starts (another) payment attempt for the order: returns the new Payment."""
    start_payment(order, provider)
    return Payment.objects.filter(order=order, provider=provider).order_by("-pk").first()


def new_trade_no() -> str:
    return f"2025{next(_trade_numbers):016d}"


def epay_notification(payment: Payment, *, money: str | None = None, trade_no: str | None = None,
                      key: str | None = None, **fields) -> dict:
    """What an Epay gateway sends when ``payment`` is paid, signed with epusdt's signer."""
    return signed_by_epusdt({
        "pid": epay_config()["pid"], "trade_no": trade_no or new_trade_no(), "out_trade_no": payment.reference,
        "type": "alipay", "name": payment.order.product_name,
        "money": money if money is not None else format_amount(payment.amount), "trade_status": "TRADE_SUCCESS",
        **fields}, key=key)


def signed_by_epusdt(params: dict, *, key: str | None = None) -> dict:
    return {**params, "sign": generate_epay_signature(params, key or epay_config()["key"]), "sign_type": "MD5"}


def flaky(real, error: Exception):
    """Stand-in for ``real`` that raises ``error`` on its first call and behaves as ``real`` afterwards."""
    calls = itertools.count()

    def call(*args, **kwargs):
        if next(calls) == 0:
            raise error
        return real(*args, **kwargs)

    return call


def dies_after(real, error: Exception):
    """Stand-in for ``real`` that does its work and then raises ``error``, as a process killed halfway."""
    def call(*args, **kwargs):
        real(*args, **kwargs)
        raise error

    return call


@dataclass(frozen=True)
class MoneyState:
    """Everything a payment can change for one order, to assert that a refused one changed nothing."""

    order_status: str
    keys_sold: int
    keys_reserved: int
    stock_available: int
    payments_succeeded: int
    buyer_emails: int


def money_state(order: Order) -> MoneyState:
    order = Order.objects.get(pk=order.pk)
    keys = CardKey.objects.filter(order=order)
    return MoneyState(
        order_status=order.status,
        keys_sold=keys.filter(status=KeyStatus.SOLD).count(),
        keys_reserved=keys.filter(status=KeyStatus.RESERVED).count(),
        stock_available=CardKey.objects.filter(product_id=order.product_id, status=KeyStatus.AVAILABLE).count(),
        payments_succeeded=Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).count(),
        # What the money path sends: "paid" and "delivered", not the "please pay" note sent on ordering.
        buyer_emails=sum(order.email in message.to and message.extra_headers.get("X-Yongxu-Template") != "orders/email/placed"
                         for message in mail.outbox),
    )


def last_notification() -> PaymentNotification:
    return PaymentNotification.objects.order_by("-pk").first()


class FakeGateway:
    """A real HTTP server on 127.0.0.1 playing the payment gateway. Tests say what it knows:
    ``epay_trades`` (out_trade_no → api.php answer), ``stripe_sessions`` (id → session), or
    ``fail_with`` an HTTP status for every request."""

    def __init__(self):
        self.epay_trades: dict[str, dict] = {}
        self.stripe_sessions: dict[str, dict] = {}
        self.fail_with: int | None = None
        self.requests: list[tuple[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-gateway", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._server.server_close()

    def epay_paid(self, payment: Payment, *, money: str | None = None, trade_no: str | None = None) -> None:
        self.epay_trades[payment.reference] = {
            "code": 1, "msg": "查询订单号成功！", "status": 1, "trade_no": trade_no or new_trade_no(),
            "out_trade_no": payment.reference, "money": money or format_amount(payment.amount)}

    def answer(self, method: str, path: str, query: dict, form: dict) -> tuple[int, dict]:
        self.requests.append((method, path))
        if self.fail_with:
            return self.fail_with, {"error": "gateway trouble"}
        if method == "GET" and path == "/api.php":
            config = epay_config()
            if query.get("pid") != config["pid"] or query.get("key") != config["key"] or query.get("act") != "order":
                return 200, {"code": -1, "msg": "KEY校验失败"}
            return 200, self.epay_trades.get(query.get("out_trade_no"), {"code": -1, "msg": "订单号不存在"})
        if method == "POST" and path == "/v1/checkout/sessions":
            session_id = f"cs_test_{len(self.stripe_sessions) + 1}"
            self.stripe_sessions[session_id] = {"id": session_id, "payment_status": "unpaid", "form": form,
                                                "url": f"https://checkout.stripe.test/c/{session_id}"}
            return 200, self.stripe_sessions[session_id]
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            session = self.stripe_sessions.get(path.rsplit("/", 1)[1])
            return (200, session) if session else (404, {"error": {"type": "invalid_request_error"}})
        return 404, {"error": "no such endpoint"}

    def _handler_class(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, method: str) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode())) if length else {}
                status, payload = gateway.answer(method, url.path, dict(parse_qsl(url.query)), form)
                body = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self._reply("GET")

            def do_POST(self):
                self._reply("POST")

            def log_message(self, format, *args):
                pass

        return Handler


@pytest.fixture
def notify(client, django_capture_on_commit_callbacks):
    """The gateway calls ``/pay/notify/epay/`` by GET; what waits for the commit (e-mails) runs."""
    def notify(params: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(EPAY_NOTIFY, params)

    return notify


@pytest.fixture
def clock(time_machine):
    """Time stands still at BOUGHT until the test moves it."""
    time_machine.move_to(BOUGHT, tick=False)
    return time_machine


@pytest.fixture
def gateway(settings):
    """A fake Epay/Stripe gateway on loopback, the epay provider pointed at it; stopped after the test."""
    fake = FakeGateway()
    try:
        settings.EPAY_GATEWAY_URL = fake.url
        settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS,
                                             "epay": {**epay_config(), "gateway_url": fake.url}}
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def stripe_enabled(settings, gateway):
    """Stripe switched on, its API at the fake gateway, webhooks signed with STRIPE_WEBHOOK_SECRET."""
    settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, "stripe": {
        **settings.YONGXU_PAYMENT_PROVIDERS["stripe"], "enabled": True, "secret_key": "sk_test_yongxu",
        "webhook_secret": STRIPE_WEBHOOK_SECRET, "api_base": gateway.url.rstrip("/"), "tolerance": 300}}
    return gateway


@pytest.fixture
def alipay(settings):
    """Alipay 当面付 switched on against a fake Alipay gateway on loopback (keys made by the test run)."""
    from yongxu.payments.tests.fake_alipay import APP_ID, SELLER_ID, FakeAlipay, alipay_key, merchant_key
    fake = FakeAlipay()
    try:
        settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, "alipay": {
            "class": "yongxu.payments.providers.alipay.AlipayProvider", "enabled": True, "app_id": APP_ID,
            "seller_id": SELLER_ID, "private_key": merchant_key().private_pem,
            "alipay_public_key": alipay_key().public_pem, "gateway_url": fake.url}}
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def wechat(settings):
    """WeChat Pay Native switched on against a fake API v3 on loopback (keys made by the test run)."""
    from yongxu.payments.tests import fake_wechat as fw
    fake = fw.FakeWechat()
    try:
        settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, "wechat": {
            **settings.YONGXU_PAYMENT_PROVIDERS["wechat"], "enabled": True, "mchid": fw.MCHID, "appid": fw.APPID,
            "private_key": fw.merchant_key().private_pem, "cert_serial": fw.CERT_SERIAL, "apiv3_key": fw.APIV3_KEY,
            "platform_public_key": fw.platform_key().public_pem, "platform_serial": fw.PLATFORM_SERIAL,
            "api_base": fake.url, "simulated": False}}
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def epusdt(settings):
    """USDT through a fake epusdt on loopback."""
    from yongxu.payments.tests.fake_epusdt import PID, SECRET, FakeEpusdt
    fake = FakeEpusdt()
    try:
        settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, "epusdt": {
            **settings.YONGXU_PAYMENT_PROVIDERS["epusdt"], "enabled": True, "api_base": fake.url, "pid": PID,
            "secret": SECRET, "simulated": False}}
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def paypal(settings):
    """PayPal against a fake REST API on loopback, webhook certificates allowed from that loopback host only."""
    from yongxu.payments.providers import paypal as provider
    from yongxu.payments.tests.fake_paypal import CLIENT_ID, SECRET, WEBHOOK_ID, FakePayPal
    fake = FakePayPal()
    provider._certificates.clear()
    try:
        settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, "paypal": {
            **settings.YONGXU_PAYMENT_PROVIDERS["paypal"], "enabled": True, "client_id": CLIENT_ID, "secret": SECRET,
            "webhook_id": WEBHOOK_ID, "api_base": fake.url, "cert_url_prefixes": [fake.url + "/v1/notifications/certs/"]}}
        yield fake
    finally:
        provider._certificates.clear()
        fake.stop()
