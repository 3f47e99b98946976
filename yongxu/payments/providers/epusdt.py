"""USDT (TRC20) through a self-hosted epusdt, GMPay API v1. ``create-transaction`` answers the address,
the exact USDT amount (``actual_amount``) and an expiry; the shop shows them with a QR code. The callback
is JSON signed HMAC-SHA256 in ``signature`` over the other non-empty fields, sorted, joined ``k=v&…``,
keyed with the API token; it is answered ``ok``. Reconciliation reads the checkout order by trade id."""

import hashlib
import hmac
import json
from decimal import Decimal, InvalidOperation

from yongxu.core.money import format_amount, quantize
from yongxu.payments.http import request_json
from yongxu.payments.providers.base import (
    GatewayError,
    IncomingNotification,
    InvalidNotification,
    PaymentProvider,
    PaymentStart,
    QueryResult,
    VerifiedNotification,
)

PAID = 2


def _text(value) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float | int | Decimal):
        number = Decimal(str(value)).normalize()
        return format(number.quantize(Decimal(1)) if number == number.to_integral() else number, "f")
    return str(value)


def signature(params: dict, secret: str) -> str:
    parts = sorted(f"{k}={_text(v)}" for k, v in params.items() if k != "signature" and _text(v) not in (None, ""))
    return hmac.new(secret.encode(), "&".join(parts).encode(), hashlib.sha256).hexdigest()


def _decimal(value, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidNotification(f"unreadable {what}") from exc
    if not number.is_finite() or number < 0 or number != quantize(number):
        raise InvalidNotification(f"unreadable {what}")
    return number


class EpusdtProvider(PaymentProvider):
    label = "USDT (TRC20)"
    ack_body = "ok"
    retry_body = "fail"
    shows_qr = True

    def supports(self, currency: str) -> bool:
        return currency.upper() == str(self.config.get("currency", "CNY")).upper()

    @property
    def base(self) -> str:
        return self.config["api_base"].rstrip("/")

    def _data(self, answer: dict) -> dict:
        if not isinstance(answer.get("data"), dict):
            raise GatewayError(f"epusdt refused: {answer.get('message') or answer.get('status_code')}", retryable=False)
        return answer["data"]

    def start(self, payment, *, notify_url, return_url, cancel_url) -> PaymentStart:
        payload = {"pid": str(self.config["pid"]), "order_id": payment.reference, "currency": payment.currency.lower(),
                   "amount": format_amount(payment.amount), "notify_url": notify_url, "redirect_url": return_url,
                   "token": self.config.get("token", "usdt"), "network": self.config.get("network", "tron"),
                   "name": payment.order.product_name[:60]}
        payload["signature"] = signature(payload, self.config["secret"])
        data = self._data(request_json("POST", f"{self.base}/payments/gmpay/v1/order/create-transaction", json_body=payload))
        try:
            crypto = Decimal(str(data["actual_amount"]))
            address, trade_id = str(data["receive_address"]), str(data["trade_id"])
        except (KeyError, InvalidOperation) as exc:
            raise GatewayError("epusdt answered without address or amount", retryable=False) from exc
        if str(data.get("order_id", payment.reference)) != payment.reference or not address:
            raise GatewayError("epusdt answered about another order", retryable=False)
        # The wallet QR: the TRC20 address (wallets ask for the amount, shown beside it exactly); in the demo,
        # the simulator's pay page, which stands for the buyer's wallet.
        qr = data.get("payment_url") if self.config.get("simulated") and data.get("payment_url") else address
        return PaymentStart(redirect_url=data.get("payment_url") or address, gateway_session=trade_id,
                            qr_payload=qr, crypto_amount=crypto,
                            crypto_currency=str(data.get("token") or "USDT").upper(), crypto_address=address)

    def verify_notification(self, incoming: IncomingNotification) -> VerifiedNotification:
        try:
            params = json.loads(incoming.body) if incoming.body.strip().startswith(b"{") else dict(incoming.params)
        except ValueError as exc:
            raise InvalidNotification("unreadable body") from exc
        if not isinstance(params, dict):
            raise InvalidNotification("unreadable body")
        missing = [name for name in ("signature", "order_id", "trade_id", "amount", "status") if params.get(name) in (None, "")]
        if missing:
            raise InvalidNotification(f"missing {', '.join(missing)}")
        given = str(params["signature"]).lower()
        if not hmac.compare_digest(given, signature(params, self.config["secret"])):
            raise InvalidNotification("bad signature")
        if params.get("pid") not in (None, "") and str(params["pid"]) != str(self.config["pid"]):
            raise InvalidNotification("for another merchant id")
        amount = _decimal(params["amount"], "amount")
        return VerifiedNotification(reference=str(params["order_id"]), trade_no=str(params["trade_id"]),
                                    amount=quantize(amount), currency=str(self.config.get("currency", "CNY")).upper(),
                                    paid=str(params["status"]) == str(PAID))

    def query(self, payment) -> QueryResult:
        if not payment.gateway_session:
            return QueryResult(paid=False)
        data = self._data(request_json("GET", f"{self.base}/pay/checkout-counter-resp/{payment.gateway_session}"))
        if str(data.get("trade_id")) != payment.gateway_session:
            raise GatewayError("epusdt answered about another trade", retryable=False)
        if str(data.get("status")) != str(PAID):
            return QueryResult(paid=False, trade_no=payment.gateway_session)
        try:
            amount = quantize(_decimal(data.get("amount"), "amount"))
        except InvalidNotification as exc:
            raise GatewayError(str(exc), retryable=False) from exc
        currency = str(data.get("currency") or self.config.get("currency", "CNY")).upper()
        return QueryResult(paid=True, trade_no=payment.gateway_session, amount=amount, currency=currency)
