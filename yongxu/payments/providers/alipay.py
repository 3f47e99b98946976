"""支付宝当面付 (Alipay face-to-face): ``alipay.trade.precreate`` gives a QR code the buyer scans.

Requests are signed RSA2 (SHA256withRSA, merchant private key) over the parameters except ``sign``,
sorted by key, empty ones left out, joined ``k=v&…``. Answers are signed by Alipay over the exact JSON
text of ``<method>_response``; notifications over their form fields except ``sign`` and ``sign_type``.
Both are checked with Alipay's public key. Keys: PEM text, a PEM file, or the console's bare base64."""

import json
from decimal import Decimal
from functools import cached_property
from urllib.parse import quote
from zoneinfo import ZoneInfo

from yongxu.core import clock
from yongxu.core.money import InvalidAmount, format_amount, parse_amount
from yongxu.payments.http import request_raw
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
from yongxu.payments.providers.keys import load_private_key, load_public_key, sign_sha256, verify_sha256

GATEWAY = "https://openapi.alipay.com/gateway.do"
PAID_STATUSES = {"TRADE_SUCCESS", "TRADE_FINISHED"}
BEIJING = ZoneInfo("Asia/Shanghai")


def signing_string(params: dict, *, exclude: tuple[str, ...] = ("sign",)) -> str:
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k not in exclude and params[k] not in (None, ""))


def signed_content(raw: str, method: str) -> tuple[dict, str, str]:
    """Find ``<method>_response`` (or ``error_response``) in Alipay's answer: (object, exact text, sign)."""
    try:
        whole = json.loads(raw)
    except ValueError as exc:
        raise GatewayError("Alipay answered something that is not JSON", retryable=True) from exc
    name = method.replace(".", "_") + "_response"
    if name not in whole:
        name = "error_response"
    key_at = raw.find(f'"{name}"')
    if key_at < 0 or not isinstance(whole.get(name), dict):
        raise GatewayError("Alipay answered without a response object", retryable=True)
    start = raw.index("{", key_at)
    obj, end = json.JSONDecoder().raw_decode(raw, start)
    return obj, raw[start:end], str(whole.get("sign", ""))


class AlipayProvider(PaymentProvider):
    label = "支付宝 Alipay"
    currencies = frozenset({"CNY"})
    ack_body = "success"
    retry_body = "fail"
    can_refund = True
    shows_qr = True

    @cached_property
    def _private_key(self):
        return load_private_key(self.config["private_key"])

    @cached_property
    def _alipay_key(self):
        return load_public_key(self.config["alipay_public_key"])

    def call(self, method: str, biz: dict, **extra) -> dict:
        """Call one Alipay OpenAPI method; return its verified ``<method>_response`` object."""
        params = {"app_id": self.config["app_id"], "method": method, "format": "JSON", "charset": "utf-8",
                  "sign_type": "RSA2", "version": "1.0",
                  "timestamp": clock.now().astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
                  "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")), **extra}
        params["sign"] = sign_sha256(self._private_key, signing_string(params))
        raw = request_raw("POST", self.config.get("gateway_url") or GATEWAY, form=params).body.decode("utf-8", "replace")
        answer, content, signature = signed_content(raw, method)
        if signature and not verify_sha256(self._alipay_key, content, signature):
            raise GatewayError("Alipay's answer has a bad signature", retryable=False)
        if not signature and answer.get("code") == "10000":
            raise GatewayError("Alipay's answer is not signed", retryable=False)
        return answer

    def start(self, payment, *, notify_url, return_url, cancel_url) -> PaymentStart:
        answer = self.call("alipay.trade.precreate", {
            "out_trade_no": payment.reference, "total_amount": format_amount(payment.amount),
            "subject": payment.order.product_name[:128],
            "time_expire": payment.order.expires_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
        }, notify_url=notify_url)
        if answer.get("code") != "10000" or not answer.get("qr_code"):
            raise GatewayError(f"Alipay refused the precreate: {answer.get('sub_code') or answer.get('code')} "
                               f"{answer.get('sub_msg') or answer.get('msg') or ''}".strip(), retryable=False)
        if answer.get("out_trade_no") not in (None, payment.reference):
            raise GatewayError("Alipay answered about another trade", retryable=False)
        return PaymentStart(redirect_url=answer["qr_code"], qr_payload=answer["qr_code"])

    def app_link(self, payment) -> str:
        if self.config.get("simulated"):  # the demo's simulator: its QR code is its own pay page
            return payment.qr_payload
        return "alipays://platformapi/startapp?saId=10000007&qrcode=" + quote(payment.qr_payload, safe="")

    def verify_notification(self, incoming: IncomingNotification) -> VerifiedNotification:
        params = incoming.params
        missing = [name for name in ("sign", "out_trade_no", "trade_no", "trade_status", "total_amount", "app_id")
                   if not params.get(name)]
        if missing:
            raise InvalidNotification(f"missing {', '.join(missing)}")
        if params.get("sign_type", "RSA2") != "RSA2":
            raise InvalidNotification(f"sign_type {params.get('sign_type')!r} is not RSA2")
        if not verify_sha256(self._alipay_key, signing_string(params, exclude=("sign", "sign_type")), params["sign"]):
            raise InvalidNotification("bad signature")
        if params["app_id"] != str(self.config["app_id"]):
            raise InvalidNotification("for another app_id")
        seller = self.config.get("seller_id")
        if seller and params.get("seller_id") and params["seller_id"] != str(seller):
            raise InvalidNotification("for another seller_id")
        try:
            amount = parse_amount(params["total_amount"])
        except InvalidAmount as exc:
            raise InvalidNotification(str(exc)) from exc
        return VerifiedNotification(reference=params["out_trade_no"], trade_no=params["trade_no"], amount=amount,
                                    currency="CNY", paid=params["trade_status"] in PAID_STATUSES)

    def query(self, payment) -> QueryResult:
        answer = self.call("alipay.trade.query", {"out_trade_no": payment.reference})
        if answer.get("code") != "10000":
            if answer.get("sub_code") == "ACQ.TRADE_NOT_EXIST":  # not scanned yet
                return QueryResult(paid=False)
            raise GatewayError(f"Alipay query failed: {answer.get('sub_code') or answer.get('code')}", retryable=True)
        if answer.get("out_trade_no") != payment.reference:
            raise GatewayError("Alipay answered about another trade", retryable=False)
        if answer.get("trade_status") not in PAID_STATUSES:
            return QueryResult(paid=False, trade_no=str(answer.get("trade_no", "")))
        try:
            amount = parse_amount(answer.get("total_amount"))
        except InvalidAmount as exc:
            raise GatewayError(f"unreadable amount in query answer: {exc}", retryable=False) from exc
        return QueryResult(paid=True, trade_no=str(answer["trade_no"]), amount=amount, currency="CNY")

    def refund(self, payment, *, amount: Decimal, request_id: str, reason: str) -> RefundResult:
        answer = self.call("alipay.trade.refund", {
            "out_trade_no": payment.reference, "refund_amount": format_amount(amount), "out_request_no": request_id,
            "refund_reason": reason[:256]})
        if answer.get("code") != "10000":
            raise GatewayError(f"Alipay refused the refund: {answer.get('sub_code') or answer.get('code')} "
                               f"{answer.get('sub_msg') or ''}".strip(), retryable=answer.get("code") == "20000")
        return RefundResult(refund_id=f"{answer.get('trade_no', '')}:{request_id}", done=True)


