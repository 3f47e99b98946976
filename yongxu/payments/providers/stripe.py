"""Stripe Checkout Sessions. The webhook's ``Stripe-Signature`` header is checked as Stripe documents
it: ``t=<unix time>,v1=<hex>[,v1=<hex>…]``, each v1 an HMAC-SHA256 of ``"<t>.<raw body>"`` with the
endpoint secret; any one v1 may match; ``t`` must lie within the tolerance of now."""

import hashlib
import hmac
import json
from decimal import Decimal

from yongxu.core import clock
from yongxu.core.money import from_minor_units, to_minor_units
from yongxu.core.numbers import parse_int
from yongxu.payments.http import request_json
from yongxu.payments.providers.base import (
    IncomingNotification,
    InvalidNotification,
    PaymentProvider,
    PaymentStart,
    QueryResult,
    VerifiedNotification,
)

PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
ZERO_DECIMAL = frozenset({"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND",
                          "VUV", "XAF", "XOF", "XPF"})


def _minor(amount: Decimal, currency: str) -> int:
    return int(amount) if currency.upper() in ZERO_DECIMAL else to_minor_units(amount)


def _major(units: int, currency: str) -> Decimal:
    return Decimal(units).quantize(Decimal("0.01")) if currency.upper() in ZERO_DECIMAL else from_minor_units(units)


def verify_signature(body: bytes, header: str, secret: str, *, tolerance: int) -> None:
    timestamp, signatures = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if parse_int(timestamp, max_digits=12) is None or not signatures:
        raise InvalidNotification("malformed Stripe-Signature header")
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise InvalidNotification("no v1 signature matches")
    if abs(clock.now().timestamp() - int(timestamp)) > tolerance:
        raise InvalidNotification("timestamp outside the tolerance (replayed?)")


class StripeProvider(PaymentProvider):
    label = "Stripe"
    ack_body = '{"received": true}'
    ack_content_type = "application/json"
    retry_body = '{"received": false}'

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.config['secret_key']}"}

    def start(self, payment, *, notify_url, return_url, cancel_url) -> PaymentStart:
        currency = payment.currency.lower()
        session = request_json("POST", f"{self.config['api_base']}/v1/checkout/sessions", headers=self._headers(), form={
            "mode": "payment", "client_reference_id": payment.reference, "metadata[reference]": payment.reference,
            "customer_email": payment.order.email, "success_url": return_url, "cancel_url": cancel_url,
            "line_items[0][quantity]": 1, "line_items[0][price_data][currency]": currency,
            "line_items[0][price_data][unit_amount]": _minor(payment.amount, currency),
            "line_items[0][price_data][product_data][name]":
                f"{payment.order.product_name} × {payment.order.quantity}",
        })
        return PaymentStart(redirect_url=session["url"], gateway_session=session["id"])

    def verify_notification(self, incoming: IncomingNotification) -> VerifiedNotification:
        header = incoming.headers.get("stripe-signature", "")
        verify_signature(incoming.body, header, self.config["webhook_secret"], tolerance=self.config["tolerance"])
        try:
            event = json.loads(incoming.body)
            session = event["data"]["object"]
            reference = session.get("client_reference_id") or session.get("metadata", {}).get("reference", "")
            currency = str(session.get("currency", "")).upper()
            amount = _major(int(session.get("amount_total") or 0), currency)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidNotification("unreadable event") from exc
        paid = event.get("type") in PAID_EVENTS and session.get("payment_status") == "paid"
        return VerifiedNotification(reference=reference or "", trade_no=str(session.get("payment_intent") or session["id"]),
                                    amount=amount, currency=currency, paid=paid)

    def query(self, payment) -> QueryResult:
        if not payment.gateway_session:
            return QueryResult(paid=False)
        session = request_json("GET", f"{self.config['api_base']}/v1/checkout/sessions/{payment.gateway_session}",
                               headers=self._headers())
        if session.get("payment_status") != "paid":
            return QueryResult(paid=False)
        currency = str(session.get("currency", "")).upper()
        return QueryResult(paid=True, trade_no=str(session.get("payment_intent") or session["id"]),
                           amount=_major(int(session.get("amount_total") or 0), currency), currency=currency)
