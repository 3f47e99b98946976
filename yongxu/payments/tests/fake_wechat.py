"""A fake WeChat Pay API v3 on loopback. It checks our Authorization headers with wechatpayv3's own
verifier (merchant public key) and keeps the trades it knows. Callbacks are built as WeChat documents
them: the resource encrypted AEAD_AES_256_GCM with the API v3 key (cryptography; wechatpayv3 only
decrypts), the headers signed with wechatpayv3's signer and the platform key made by the test run."""

import base64
import json
import re
import secrets
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from wechatpayv3.utils import rsa_sign, rsa_verify

from yongxu.core.money import to_minor_units
from yongxu.payments.tests.loopback import LoopbackServer, made_key

MCHID = "1900000109"
APPID = "wxd678efh567hg6787"
CERT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
PLATFORM_SERIAL = "PUB_KEY_ID_0119000001092025050100000000000001"
APIV3_KEY = "yongxu-test-apiv3-key-32-bytes!!"
AUTH = re.compile(r'^WECHATPAY2-SHA256-RSA2048 mchid="(?P<mchid>[^"]+)",nonce_str="(?P<nonce>[^"]+)",'
                  r'signature="(?P<signature>[^"]+)",timestamp="(?P<timestamp>\d+)",serial_no="(?P<serial>[^"]+)"$')


def merchant_key():
    return made_key("wechat-merchant")


def platform_key():
    return made_key("wechat-platform")


def transaction(payment, *, total: int | None = None, trade_state: str = "SUCCESS", mchid: str = MCHID,
                transaction_id: str = "4200002025050100000001") -> dict:
    return {"appid": APPID, "mchid": mchid, "out_trade_no": payment.reference, "transaction_id": transaction_id,
            "trade_type": "NATIVE", "trade_state": trade_state, "trade_state_desc": "支付成功",
            "bank_type": "OTHERS", "success_time": "2025-05-01T17:00:04+08:00", "payer": {"openid": "oUpF8uMuAJO"},
            "amount": {"total": total if total is not None else to_minor_units(payment.amount), "payer_total": 999,
                       "currency": "CNY", "payer_currency": "CNY"}}


def callback(payment, *, timestamp: int, key=None, apiv3_key: str = APIV3_KEY, serial: str = PLATFORM_SERIAL,
             event_type: str = "TRANSACTION.SUCCESS", **fields) -> tuple[bytes, dict]:
    """(body, headers) of the callback WeChat Pay POSTs when ``payment`` is paid."""
    nonce = secrets.token_hex(6)
    plain = json.dumps(transaction(payment, **fields), ensure_ascii=False).encode()
    ciphertext = AESGCM(apiv3_key.encode()).encrypt(nonce.encode(), plain, b"transaction")
    body = json.dumps({
        "id": "EV-2018022511223320873", "create_time": "2025-05-01T17:00:05+08:00", "resource_type": "encrypt-resource",
        "event_type": event_type, "summary": "支付成功", "resource": {
            "original_type": "transaction", "algorithm": "AEAD_AES_256_GCM", "associated_data": "transaction",
            "nonce": nonce, "ciphertext": base64.b64encode(ciphertext).decode()}}, ensure_ascii=False)
    header_nonce = secrets.token_hex(16)
    signature = rsa_sign((key or platform_key()).private, f"{timestamp}\n{header_nonce}\n{body}\n")
    return body.encode(), {"Wechatpay-Timestamp": str(timestamp), "Wechatpay-Nonce": header_nonce,
                           "Wechatpay-Signature": signature, "Wechatpay-Serial": serial,
                           "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}


class FakeWechat:
    def __init__(self):
        self.trades: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.orders: list[dict] = []
        self.bad_signatures = 0
        self.server = LoopbackServer(self.answer)
        self.url = self.server.url

    def paid(self, payment, **fields) -> None:
        self.trades[payment.reference] = transaction(payment, **fields)

    def _authentic(self, method: str, path: str, headers: dict, body: bytes) -> bool:
        match = AUTH.match(headers.get("authorization", ""))
        if not match or match["mchid"] != MCHID or match["serial"] != CERT_SERIAL:
            return False
        # wechatpayv3 checks "<timestamp>\n<nonce>\n<body>\n"; a request's message is the same with the
        # method and path in front, so they ride in the timestamp slot.
        public = merchant_key().private.public_key()
        return rsa_verify(f"{method}\n{path}\n{match['timestamp']}", match["nonce"], body.decode(), match["signature"], public)

    def answer(self, method, path, headers, body):
        if not self._authentic(method, path, headers, body):
            self.bad_signatures += 1
            return 401, "application/json", b'{"code": "SIGN_ERROR", "message": "bad signature"}'
        route = urlsplit(path).path
        if method == "POST" and route == "/v3/pay/transactions/native":
            self.orders.append(json.loads(body))
            return self._json(200, {"code_url": f"weixin://wxpay/bizpayurl?pr=Yx{len(self.orders):05d}"})
        if method == "GET" and route.startswith("/v3/pay/transactions/out-trade-no/"):
            trade = self.trades.get(route.rsplit("/", 1)[1])
            return self._json(200, trade) if trade else self._json(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
        if method == "POST" and route == "/v3/refund/domestic/refunds":
            request = json.loads(body)
            if request["out_trade_no"] not in self.trades:
                return self._json(404, {"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"})
            refund = self.refunds.setdefault(request["out_refund_no"], {
                "refund_id": f"5030000000{len(self.refunds) + 1:012d}", "out_refund_no": request["out_refund_no"],
                "out_trade_no": request["out_trade_no"], "status": "PROCESSING", "amount": request["amount"]})
            return self._json(200, refund)
        return self._json(404, {"code": "NOT_FOUND"})

    @staticmethod
    def _json(status: int, payload: dict):
        return status, "application/json", json.dumps(payload, ensure_ascii=False).encode()

    def stop(self):
        self.server.stop()
