"""A fake epusdt (GMPay v1) on loopback: create-transaction checks our signature with the epusdt
package and answers a TRC20 address and USDT amount; the checkout endpoint answers what it knows."""

import json
from decimal import Decimal

from epusdt.signature import generate_gmpay_signature, verify_gmpay_signature

from yongxu.payments.tests.loopback import LoopbackServer

PID = "1000"
SECRET = "epusdt-api-token-for-tests"
ADDRESS = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
RATE = Decimal("7.20")


def epusdt_callback(payment, *, amount: str | None = None, secret: str = SECRET, status: int = 2, **fields) -> dict:
    """The JSON epusdt POSTs when ``payment`` is paid, signed by the epusdt package."""
    body = {"pid": PID, "trade_id": payment.gateway_session or "T2025050100001", "order_id": payment.reference,
            "amount": float(amount if amount is not None else payment.amount),
            "actual_amount": float(payment.crypto_amount or Decimal("1.39")), "receive_address": ADDRESS,
            "token": "usdt", "block_transaction_id": "9f1c0b5e7d", "status": status, **fields}
    return {**body, "signature": generate_gmpay_signature(body, secret)}


class FakeEpusdt:
    def __init__(self):
        self.created: list[dict] = []
        self.trades: dict[str, dict] = {}
        self.bad_signatures = 0
        self.server = LoopbackServer(self.answer)
        self.url = self.server.url

    def paid(self, payment, *, amount: str | None = None) -> None:
        self.trades[payment.gateway_session]["status"] = 2
        if amount is not None:
            self.trades[payment.gateway_session]["amount"] = float(amount)

    def answer(self, method, path, headers, body):
        if method == "POST" and path == "/payments/gmpay/v1/order/create-transaction":
            request = json.loads(body)
            if not verify_gmpay_signature(request, SECRET):
                self.bad_signatures += 1
                return self._json(400, {"status_code": 401, "message": "signature verification failed"})
            self.created.append(request)
            trade_id = f"T20250501{len(self.created):05d}"
            usdt = (Decimal(request["amount"]) / RATE).quantize(Decimal("0.01")) + Decimal("0.0001") * len(self.created)
            self.trades[trade_id] = {
                "trade_id": trade_id, "amount": float(request["amount"]), "actual_amount": float(usdt), "token": "USDT",
                "currency": request["currency"], "receive_address": ADDRESS, "network": "tron", "status": 1,
                "payment_type": "gmpay", "expiration_time": 1746090000, "created_at": 1746088200,
                "payment_url": f"http://epusdt.example/pay/checkout-counter/{trade_id}"}
            return self._json(200, {"status_code": 200, "message": "success", "data": {
                **self.trades[trade_id], "order_id": request["order_id"]}})
        if method == "GET" and path.startswith("/pay/checkout-counter-resp/"):
            trade = self.trades.get(path.rsplit("/", 1)[1])
            return self._json(200, {"status_code": 200, "data": trade}) if trade else self._json(
                404, {"status_code": 404, "message": "order not found"})
        return self._json(404, {"status_code": 404})

    @staticmethod
    def _json(status, payload):
        return status, "application/json", json.dumps(payload).encode()

    def stop(self):
        self.server.stop()


