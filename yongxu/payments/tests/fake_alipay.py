"""A fake Alipay OpenAPI gateway on loopback. It checks our requests' RSA2 signatures with
python-alipay-sdk (merchant public key) and signs its answers and notifications with the SDK as Alipay
would (Alipay's private key). Keys are made by the test run."""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from alipay import AliPay

from yongxu.core.money import format_amount
from yongxu.payments.tests.loopback import LoopbackServer, made_key

APP_ID = "2021000000000001"
SELLER_ID = "2088000000000001"


def merchant_key():
    return made_key("alipay-merchant")


def alipay_key():
    return made_key("alipay-platform")


def alipay_sdk_as_alipay() -> AliPay:
    """The SDK in Alipay's seat: it signs with Alipay's private key, verifies with the merchant's public key."""
    return AliPay(appid=APP_ID, app_private_key_string=alipay_key().private_pem,
                  alipay_public_key_string=merchant_key().public_pem)


def alipay_notification(payment, *, total_amount: str | None = None, trade_no: str = "2025050122001400001",
                        trade_status: str = "TRADE_SUCCESS", app_id: str = APP_ID, signer: AliPay | None = None,
                        **fields) -> dict:
    """The asynchronous notification Alipay POSTs for ``payment``, signed by python-alipay-sdk."""
    data = {"notify_time": "2025-05-01 17:00:05", "notify_type": "trade_status_sync", "notify_id": "ac0509952473",
            "app_id": app_id, "charset": "utf-8", "version": "1.0", "trade_no": trade_no,
            "out_trade_no": payment.reference, "buyer_logon_id": "159****5620", "seller_id": SELLER_ID,
            "trade_status": trade_status,
            "total_amount": total_amount if total_amount is not None else format_amount(payment.amount),
            "receipt_amount": format_amount(payment.amount), "gmt_payment": "2025-05-01 17:00:04",
            "subject": payment.order.product_name, **fields}
    signed = dict(parse_qsl((signer or alipay_sdk_as_alipay()).sign_data(dict(data)), keep_blank_values=True))
    return {**signed, "sign_type": "RSA2"}


class FakeAlipay:
    def __init__(self):
        self.sdk = alipay_sdk_as_alipay()
        self.trades: dict[str, dict] = {}  # out_trade_no -> what alipay.trade.query says
        self.refunds: dict[str, dict] = {}  # out_request_no -> refund answer
        self.precreated: list[dict] = []
        self.bad_request_signatures = 0
        self.server = LoopbackServer(self.answer)
        self.url = f"{self.server.url}/gateway.do"

    def paid(self, payment, *, total_amount: str | None = None, trade_no: str = "2025050122001499999") -> None:
        self.trades[payment.reference] = {
            "code": "10000", "msg": "Success", "out_trade_no": payment.reference, "trade_no": trade_no,
            "trade_status": "TRADE_SUCCESS",
            "total_amount": total_amount if total_amount is not None else format_amount(payment.amount)}

    def answer(self, method, path, headers, body):
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        sign = params.pop("sign", "")
        message = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        if not self.sdk._verify(message, sign):
            self.bad_request_signatures += 1
            return self._reply(params.get("method", ""), {"code": "40002", "msg": "Invalid Arguments",
                                                          "sub_code": "isv.invalid-signature"}, signed=False)
        biz = json.loads(params.get("biz_content") or "{}")
        method_name = params["method"]
        if method_name == "alipay.trade.precreate":
            self.precreated.append({**params, "biz": biz})
            return self._reply(method_name, {"code": "10000", "msg": "Success", "out_trade_no": biz["out_trade_no"],
                                             "qr_code": f"https://qr.alipay.com/bax0{len(self.precreated):04d}"})
        if method_name == "alipay.trade.query":
            trade = self.trades.get(biz.get("out_trade_no"))
            return self._reply(method_name, trade or {"code": "40004", "msg": "Business Failed",
                                                      "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "交易不存在"})
        if method_name == "alipay.trade.refund":
            trade = self.trades.get(biz.get("out_trade_no"))
            if trade is None:
                return self._reply(method_name, {"code": "40004", "msg": "Business Failed",
                                                 "sub_code": "ACQ.TRADE_NOT_EXIST"})
            refund = self.refunds.setdefault(biz["out_request_no"], {
                "code": "10000", "msg": "Success", "trade_no": trade["trade_no"], "out_trade_no": trade["out_trade_no"],
                "refund_fee": biz["refund_amount"], "fund_change": "Y",
                "gmt_refund_pay": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")})
            return self._reply(method_name, refund)
        return 404, "application/json", b"{}"

    def _reply(self, method_name: str, content: dict, *, signed: bool = True):
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        name = method_name.replace(".", "_") + "_response" if method_name else "error_response"
        sign = self.sdk._sign(text) if signed else ""
        return 200, "application/json;charset=utf-8", f'{{"{name}":{text},"sign":"{sign}"}}'.encode()

    def stop(self):
        self.server.stop()
