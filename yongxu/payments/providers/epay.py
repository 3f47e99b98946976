"""易支付 (Epay) V1: a signed redirect to ``submit.php``, an MD5-signed callback, ``api.php`` queries.

Signature: MD5 over the non-empty parameters except ``sign`` and ``sign_type``, sorted by key,
joined as ``k=v&…``, followed by the merchant key; lower-case hex."""

import hashlib
import hmac
from urllib.parse import urlencode

from yongxu.core.money import InvalidAmount, format_amount, parse_amount
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

NOTIFY_FIELDS = ("trade_no", "out_trade_no", "type", "name", "money", "trade_status")


def sign(params: dict, key: str) -> str:
    text = "&".join(f"{k}={params[k]}" for k in sorted(params)
                    if k not in ("sign", "sign_type") and params[k] not in (None, ""))
    return hashlib.md5((text + key).encode("utf-8")).hexdigest()  # noqa: S324 - the protocol's choice


def signed(params: dict, key: str) -> dict:
    return {**params, "sign": sign(params, key), "sign_type": "MD5"}


def check_signature(params: dict, key: str) -> bool:
    given = str(params.get("sign", "")).lower()
    return bool(given) and hmac.compare_digest(given, sign(params, key))


class EpayProvider(PaymentProvider):
    label = "Epay"
    currencies = frozenset({"CNY"})

    @property
    def gateway(self) -> str:
        url = self.config["gateway_url"]
        return url if url.endswith("/") else url + "/"

    def start(self, payment, *, notify_url, return_url, cancel_url) -> PaymentStart:
        params = signed({
            "pid": self.config["pid"], "type": self.config.get("pay_type", "alipay"),
            "out_trade_no": payment.reference, "notify_url": notify_url, "return_url": return_url,
            "name": payment.order.product_name[:60], "money": format_amount(payment.amount),
        }, self.config["key"])
        return PaymentStart(redirect_url=f"{self.gateway}submit.php?{urlencode(params)}")

    def verify_notification(self, incoming: IncomingNotification) -> VerifiedNotification:
        params = incoming.params
        missing = [name for name in NOTIFY_FIELDS if not params.get(name)]
        if missing:
            raise InvalidNotification(f"missing {', '.join(missing)}")
        if not check_signature(params, self.config["key"]):
            raise InvalidNotification("bad signature")
        if params.get("pid") and str(params["pid"]) != str(self.config["pid"]):
            raise InvalidNotification("for another merchant id")
        try:
            amount = parse_amount(params["money"])
        except InvalidAmount as exc:
            raise InvalidNotification(str(exc)) from exc
        return VerifiedNotification(reference=params["out_trade_no"], trade_no=params["trade_no"], amount=amount,
                                    currency="CNY", paid=params["trade_status"] == "TRADE_SUCCESS")

    def query(self, payment) -> QueryResult:
        query = urlencode({"act": "order", "pid": self.config["pid"], "key": self.config["key"],
                           "out_trade_no": payment.reference})
        answer = request_json("GET", f"{self.gateway}api.php?{query}")
        if str(answer.get("code")) != "1":
            return QueryResult(paid=False)
        if answer.get("out_trade_no") not in (None, payment.reference):
            raise GatewayError("the gateway answered about another trade", retryable=False)
        if str(answer.get("status")) != "1":
            return QueryResult(paid=False, trade_no=str(answer.get("trade_no", "")))
        try:
            amount = parse_amount(answer.get("money"))
        except InvalidAmount as exc:
            raise GatewayError(f"unreadable amount in query answer: {exc}", retryable=False) from exc
        return QueryResult(paid=True, trade_no=str(answer.get("trade_no", "")), amount=amount, currency="CNY")
