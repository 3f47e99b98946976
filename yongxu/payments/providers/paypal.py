"""PayPal Orders v2. ``start`` creates an order (intent CAPTURE) and sends the buyer to approve it;
``query`` looks the order up and captures it once approved (PayPal-Request-Id makes a repeated capture
harmless), so the buyer's return, the pay page's polling and reconciliation all finish the payment.

Webhooks are verified as PayPal documents it: the message ``<transmission id>|<transmission time>|
<webhook id>|<CRC32 of the raw body, decimal>`` signed SHA256withRSA (``PAYPAL-TRANSMISSION-SIG``) with
the key of the certificate at ``PAYPAL-CERT-URL`` — fetched only from PayPal's own hosts
(``cert_url_prefixes``), and only while valid and issued to PayPal's message-verification name."""

import base64
import binascii
import json
import zlib
from decimal import Decimal
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.x509.oid import NameOID

from yongxu.core import clock
from yongxu.core.money import InvalidAmount, format_amount, parse_amount
from yongxu.payments.http import request_json, request_raw
from yongxu.payments.providers.base import (
    GatewayError,
    IncomingNotification,
    InvalidNotification,
    PaymentProvider,
    PaymentStart,
    QueryResult,
    RefundResult,
    VerifiedNotification,
)
from yongxu.payments.providers.keys import verify_sha256

API = "https://api-m.paypal.com"
CERT_URL_PREFIXES = ("https://api.paypal.com/", "https://api-m.paypal.com/", "https://api.sandbox.paypal.com/",
                     "https://api-m.sandbox.paypal.com/")
CERT_NAMES = ("messageverificationcerts.paypal.com", "messageverificationcerts.sandbox.paypal.com")
_certificates: dict[str, x509.Certificate] = {}  # by URL, for the life of the process


def _url_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


class PayPalProvider(PaymentProvider):
    label = "PayPal"
    ack_body = ""
    ack_content_type = "text/plain"
    retry_body = "retry"
    retry_status = 500
    can_refund = True

    @property
    def base(self) -> str:
        return (self.config.get("api_base") or API).rstrip("/")

    def _token(self) -> str:
        basic = base64.b64encode(f"{self.config['client_id']}:{self.config['secret']}".encode()).decode()
        answer = request_json("POST", f"{self.base}/v1/oauth2/token", form={"grant_type": "client_credentials"},
                              headers={"Authorization": f"Basic {basic}"})
        if not answer.get("access_token"):
            raise GatewayError("PayPal gave no access token", retryable=False)
        return answer["access_token"]

    def call(self, method: str, path: str, payload: dict | None = None, *, request_id: str = "") -> dict:
        headers = {"Authorization": f"Bearer {self._token()}", "Prefer": "return=representation"}
        if request_id:
            headers["PayPal-Request-Id"] = request_id
        return request_json(method, f"{self.base}{path}", json_body=payload if payload is not None else
                            ({} if method == "POST" else None), headers=headers)

    def start(self, payment, *, notify_url, return_url, cancel_url) -> PaymentStart:
        order = self.call("POST", "/v2/checkout/orders", {
            "intent": "CAPTURE",
            "purchase_units": [{"reference_id": payment.reference, "custom_id": payment.reference,
                                "invoice_id": payment.reference, "description": payment.order.product_name[:127],
                                "amount": {"currency_code": payment.currency, "value": format_amount(payment.amount)}}],
            "payment_source": {"paypal": {"experience_context": {
                "return_url": return_url, "cancel_url": cancel_url, "user_action": "PAY_NOW",
                "shipping_preference": "NO_SHIPPING"}}}}, request_id=f"create-{payment.reference}")
        link = next((item["href"] for item in order.get("links", []) if item.get("rel") in ("payer-action", "approve")), "")
        if not order.get("id") or not link:
            raise GatewayError("PayPal gave no approval link", retryable=False)
        return PaymentStart(redirect_url=link, gateway_session=order["id"])

    def _certificate(self, url: str) -> x509.Certificate:
        allowed = tuple(self.config.get("cert_url_prefixes") or CERT_URL_PREFIXES)
        if not url or not any(url.startswith(prefix) and _url_root(url) == _url_root(prefix) for prefix in allowed):
            raise InvalidNotification("certificate URL is not on PayPal's host")
        if url not in _certificates:
            try:
                certificate = x509.load_pem_x509_certificate(request_raw("GET", url).body)
            except GatewayError as exc:
                raise InvalidNotification(f"certificate cannot be fetched: {exc}") from exc
            except ValueError as exc:
                raise InvalidNotification("certificate URL does not hold a certificate") from exc
            _certificates[url] = certificate
        certificate = _certificates[url]
        now = clock.now()
        if not (certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc):
            raise InvalidNotification("certificate is not valid now")
        names = [attribute.value for attribute in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        if not any(name in CERT_NAMES for name in names):
            raise InvalidNotification("certificate is not PayPal's message-verification certificate")
        return certificate

    def verify_notification(self, incoming: IncomingNotification) -> VerifiedNotification:
        headers = incoming.headers
        transmission_id, time = headers.get("paypal-transmission-id", ""), headers.get("paypal-transmission-time", "")
        signature = headers.get("paypal-transmission-sig", "")
        if not (transmission_id and time and signature):
            raise InvalidNotification("missing PAYPAL-TRANSMISSION-* headers")
        if headers.get("paypal-auth-algo", "SHA256withRSA") != "SHA256withRSA":
            raise InvalidNotification("unknown PAYPAL-AUTH-ALGO")
        certificate = self._certificate(headers.get("paypal-cert-url", ""))
        message = f"{transmission_id}|{time}|{self.config['webhook_id']}|{zlib.crc32(incoming.body)}"
        try:
            base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidNotification("bad signature") from exc
        if not verify_sha256(certificate.public_key(), message, signature):
            raise InvalidNotification("bad signature")
        try:
            event = json.loads(incoming.body)
            resource = event["resource"]
            if event.get("event_type") != "PAYMENT.CAPTURE.COMPLETED":  # approvals, refunds, …: stored, not applied
                return VerifiedNotification(reference=str(resource.get("custom_id") or ""), trade_no="",
                                            amount=Decimal(0), currency="", paid=False)
            reference = str(resource.get("custom_id") or resource.get("invoice_id") or "")
            amount = parse_amount(resource["amount"]["value"])
            currency = str(resource["amount"]["currency_code"]).upper()
        except (ValueError, KeyError, TypeError, AttributeError, InvalidAmount) as exc:
            raise InvalidNotification("unreadable event") from exc
        return VerifiedNotification(reference=reference, trade_no=str(resource.get("id", "")), amount=amount,
                                    currency=currency, paid=resource.get("status") == "COMPLETED")

    def query(self, payment) -> QueryResult:
        if not payment.gateway_session:
            return QueryResult(paid=False)
        order = self.call("GET", f"/v2/checkout/orders/{payment.gateway_session}")
        if order.get("status") == "APPROVED":
            order = self.call("POST", f"/v2/checkout/orders/{payment.gateway_session}/capture",
                              request_id=f"capture-{payment.reference}")
        if order.get("status") != "COMPLETED":
            return QueryResult(paid=False)
        try:
            unit = order["purchase_units"][0]
            if str(unit.get("custom_id") or unit.get("reference_id")) != payment.reference:
                raise GatewayError("PayPal answered about another order", retryable=False)
            capture = next(item for item in unit["payments"]["captures"] if item.get("status") == "COMPLETED")
            amount = parse_amount(capture["amount"]["value"])
        except (KeyError, IndexError, TypeError, StopIteration, InvalidAmount) as exc:
            raise GatewayError("unreadable PayPal order", retryable=False) from exc
        return QueryResult(paid=True, trade_no=str(capture["id"]), amount=amount,
                           currency=str(capture["amount"]["currency_code"]).upper())

    def refund(self, payment, *, amount: Decimal, request_id: str, reason: str) -> RefundResult:
        if not payment.gateway_trade_no:
            raise GatewayError("no PayPal capture to refund", retryable=False)
        answer = self.call("POST", f"/v2/payments/captures/{payment.gateway_trade_no}/refund", {
            "amount": {"value": format_amount(amount), "currency_code": payment.currency},
            "note_to_payer": reason[:255]}, request_id=request_id)
        if answer.get("status") not in ("COMPLETED", "PENDING"):
            raise GatewayError(f"PayPal refused the refund: {answer.get('status')}", retryable=False)
        return RefundResult(refund_id=str(answer.get("id", "")), done=answer["status"] == "COMPLETED")
