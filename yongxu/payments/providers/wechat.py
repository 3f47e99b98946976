"""微信支付 Native (API v3): ``/v3/pay/transactions/native`` gives a ``code_url`` shown as a QR code.

Requests carry ``Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,signature=…,timestamp=…,
serial_no=…``, the signature SHA256withRSA (merchant API key) over ``method\\npath?query\\ntimestamp\\nnonce\\n
body\\n``. Callbacks are signed over ``timestamp\\nnonce\\nbody\\n`` with WeChat Pay's platform key
(``Wechatpay-Signature``, key named by ``Wechatpay-Serial``); their ``resource`` is AEAD_AES_256_GCM
encrypted with the API v3 key. Success is answered with HTTP 204 and no body, failure with 500 and JSON."""

import base64
import json
import secrets
from decimal import Decimal
from functools import cached_property
from urllib.parse import quote
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from yongxu.core import clock
from yongxu.core.money import from_minor_units, to_minor_units
from yongxu.core.numbers import parse_int
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

API = "https://api.mch.weixin.qq.com"
BEIJING = ZoneInfo("Asia/Shanghai")


def decrypt_resource(resource: dict, apiv3_key: str) -> dict:
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise InvalidNotification(f"unknown algorithm {resource.get('algorithm')!r}")
    try:
        plain = AESGCM(apiv3_key.encode()).decrypt(str(resource["nonce"]).encode(),
                                                   base64.b64decode(resource["ciphertext"]),
                                                   str(resource.get("associated_data") or "").encode())
        return json.loads(plain)
    except (InvalidTag, KeyError, ValueError, TypeError) as exc:
        raise InvalidNotification("resource cannot be decrypted with the API v3 key") from exc


class WechatProvider(PaymentProvider):
    label = "微信支付 WeChat Pay"
    currencies = frozenset({"CNY"})
    ack_body = ""
    ack_status = 204
    ack_content_type = "application/json"
    retry_body = '{"code": "FAIL", "message": "失败"}'
    retry_status = 500
    can_refund = True
    shows_qr = True

    @cached_property
    def _private_key(self):
        return load_private_key(self.config["private_key"])

    @cached_property
    def _platform_key(self):
        return load_public_key(self.config["platform_public_key"])

    def authorization(self, method: str, path: str, body: str) -> str:
        timestamp, nonce = str(int(clock.now().timestamp())), secrets.token_hex(16).upper()
        signature = sign_sha256(self._private_key, f"{method}\n{path}\n{timestamp}\n{nonce}\n{body}\n")
        return (f'WECHATPAY2-SHA256-RSA2048 mchid="{self.config["mchid"]}",nonce_str="{nonce}",'
                f'signature="{signature}",timestamp="{timestamp}",serial_no="{self.config["cert_serial"]}"')

    def call(self, method: str, path: str, payload: dict | None = None) -> dict:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")) if payload is not None else ""
        headers = {"Authorization": self.authorization(method, path, body), "Accept": "application/json",
                   "Content-Type": "application/json", "User-Agent": "Yongxu"}
        base = (self.config.get("api_base") or API).rstrip("/")
        raw = request_raw(method, base + path, body=body.encode() if payload is not None else None, headers=headers)
        try:
            return json.loads(raw.body) if raw.body else {}
        except ValueError as exc:
            raise GatewayError("WeChat Pay answered something that is not JSON", retryable=True) from exc

    def start(self, payment, *, notify_url, return_url, cancel_url) -> PaymentStart:
        answer = self.call("POST", "/v3/pay/transactions/native", {
            "appid": self.config["appid"], "mchid": self.config["mchid"],
            "description": payment.order.product_name[:127], "out_trade_no": payment.reference,
            "time_expire": payment.order.expires_at.astimezone(BEIJING).isoformat(timespec="seconds"),
            "notify_url": notify_url, "amount": {"total": to_minor_units(payment.amount), "currency": "CNY"}})
        if not answer.get("code_url"):
            raise GatewayError("WeChat Pay gave no code_url", retryable=False)
        return PaymentStart(redirect_url=answer["code_url"], qr_payload=answer["code_url"])

    def verify_notification(self, incoming: IncomingNotification) -> VerifiedNotification:
        headers = incoming.headers
        timestamp, nonce = headers.get("wechatpay-timestamp", ""), headers.get("wechatpay-nonce", "")
        signature, serial = headers.get("wechatpay-signature", ""), headers.get("wechatpay-serial", "")
        if not (parse_int(timestamp, max_digits=12) is not None and nonce and signature and serial):
            raise InvalidNotification("missing Wechatpay-* headers")
        if serial != self.config["platform_serial"]:
            raise InvalidNotification(f"signed with unknown platform key {serial[:40]!r}")
        message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + incoming.body + b"\n"
        if not verify_sha256(self._platform_key, message, signature):
            raise InvalidNotification("bad signature")
        if abs(clock.now().timestamp() - int(timestamp)) > self.config.get("tolerance", 300):
            raise InvalidNotification("timestamp outside the tolerance (replayed?)")
        try:
            event = json.loads(incoming.body)
            resource = event["resource"]
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidNotification("unreadable event") from exc
        transaction = decrypt_resource(resource, self.config["apiv3_key"])
        if transaction.get("mchid") != self.config["mchid"] or transaction.get("appid") != self.config["appid"]:
            raise InvalidNotification("for another merchant or app")
        return self._verified(transaction, event_ok=event.get("event_type") == "TRANSACTION.SUCCESS")

    def _verified(self, transaction: dict, *, event_ok: bool) -> VerifiedNotification:
        try:
            amount = transaction["amount"]
            total, currency = int(amount["total"]), str(amount.get("currency") or "CNY").upper()
            reference, trade_no = str(transaction["out_trade_no"]), str(transaction.get("transaction_id") or "")
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidNotification("unreadable transaction") from exc
        return VerifiedNotification(reference=reference, trade_no=trade_no, amount=from_minor_units(total),
                                    currency=currency, paid=event_ok and transaction.get("trade_state") == "SUCCESS")

    def query(self, payment) -> QueryResult:
        path = f"/v3/pay/transactions/out-trade-no/{quote(payment.reference)}?mchid={quote(self.config['mchid'])}"
        try:
            answer = self.call("GET", path)
        except GatewayError as exc:
            if exc.status == 404:  # ORDER_NOT_EXIST: nobody scanned it yet
                return QueryResult(paid=False)
            raise
        if answer.get("out_trade_no") != payment.reference or answer.get("mchid", self.config["mchid"]) != self.config["mchid"]:
            raise GatewayError("WeChat Pay answered about another trade", retryable=False)
        if answer.get("trade_state") != "SUCCESS":
            return QueryResult(paid=False, trade_no=str(answer.get("transaction_id") or ""))
        try:
            verified = self._verified(answer, event_ok=True)
        except InvalidNotification as exc:
            raise GatewayError(f"unreadable query answer: {exc}", retryable=False) from exc
        return QueryResult(paid=True, trade_no=verified.trade_no, amount=verified.amount, currency=verified.currency)

    def refund(self, payment, *, amount: Decimal, request_id: str, reason: str) -> RefundResult:
        answer = self.call("POST", "/v3/refund/domestic/refunds", {
            "out_trade_no": payment.reference, "out_refund_no": request_id, "reason": reason[:80],
            "amount": {"refund": to_minor_units(amount), "total": to_minor_units(payment.amount), "currency": "CNY"}})
        status = answer.get("status")
        if status not in ("SUCCESS", "PROCESSING"):
            raise GatewayError(f"WeChat Pay refused the refund: {status}", retryable=False)
        return RefundResult(refund_id=str(answer.get("refund_id") or request_id), done=status == "SUCCESS")
