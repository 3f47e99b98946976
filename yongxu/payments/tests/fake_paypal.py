"""A fake PayPal REST API on loopback (OAuth, Orders v2, captures, refunds) that also serves the webhook
signing certificate — one made by the test with cryptography, as are the webhook signatures."""

import base64
import json
import zlib
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import NameOID

from yongxu.core.money import format_amount
from yongxu.payments.tests.loopback import LoopbackServer, made_key

CLIENT_ID, SECRET, WEBHOOK_ID = "AYongxuClientId", "EYongxuSecret", "8PT597110X687430LKGECATA"
CERT_PATH = "/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77"


def certificate(*, name: str = "messageverificationcerts.paypal.com", key=None,
                valid: tuple[datetime, datetime] = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))) -> bytes:
    key = key or made_key("paypal-webhook").private
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(1).not_valid_before(valid[0]).not_valid_after(valid[1]).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def webhook(payment, *, cert_url: str, value: str | None = None, event_type: str = "PAYMENT.CAPTURE.COMPLETED",
            key=None, webhook_id: str = WEBHOOK_ID, transmission_id: str = "69cd13f0-d67a-11e5-baa3-778b53f4ae55",
            **resource) -> tuple[bytes, dict]:
    """(body, headers) of PayPal's webhook for ``payment``'s capture, signed as PayPal documents it."""
    body = json.dumps({"id": "WH-58D329510W468432D-8HN650336L201105X", "event_type": event_type,
                       "resource_type": "capture", "resource": {
                           "id": "42311647XV020574X", "status": "COMPLETED", "custom_id": payment.reference,
                           "amount": {"currency_code": payment.currency,
                                      "value": value if value is not None else format_amount(payment.amount)},
                           "supplementary_data": {"related_ids": {"order_id": payment.gateway_session}}, **resource}}).encode()
    time = "2025-05-01T09:00:05Z"
    message = f"{transmission_id}|{time}|{webhook_id}|{zlib.crc32(body)}".encode()
    signature = (key or made_key("paypal-webhook").private).sign(message, padding.PKCS1v15(), hashes.SHA256())
    return body, {"Paypal-Transmission-Id": transmission_id, "Paypal-Transmission-Time": time,
                  "Paypal-Transmission-Sig": base64.b64encode(signature).decode(), "Paypal-Cert-Url": cert_url,
                  "Paypal-Auth-Algo": "SHA256withRSA"}


class FakePayPal:
    def __init__(self):
        self.orders: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.request_ids: list[str] = []
        self.cert_pem = certificate()
        self.cert_fetches = 0
        self.server = LoopbackServer(self.answer)
        self.url = self.server.url
        self.cert_url = self.url + CERT_PATH

    def approved(self, payment, *, value: str | None = None) -> None:
        order = self.orders[payment.gateway_session]
        order["status"] = "APPROVED"
        if value is not None:
            order["purchase_units"][0]["amount"]["value"] = value

    def answer(self, method, path, headers, body):
        if path == CERT_PATH:
            self.cert_fetches += 1
            return 200, "application/x-pem-file", self.cert_pem
        if path == "/v1/oauth2/token":
            expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
            if headers.get("authorization") != expected:
                return self._json(401, {"error": "invalid_client"})
            return self._json(200, {"access_token": "A21AAFake", "token_type": "Bearer", "expires_in": 32400})
        if headers.get("authorization") != "Bearer A21AAFake":
            return self._json(401, {"name": "AUTHENTICATION_FAILURE"})
        self.request_ids.append(headers.get("paypal-request-id", ""))
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/v2/checkout/orders":
            request = json.loads(body)
            order_id = f"5O190127TN36471{len(self.orders):02d}"
            self.orders[order_id] = {"id": order_id, "status": "PAYER_ACTION_REQUIRED", "request": request,
                                     "purchase_units": [dict(request["purchase_units"][0])],
                                     "links": [{"rel": "payer-action", "href": f"https://www.paypal.com/checkoutnow?token={order_id}"}]}
            return self._json(200, self.orders[order_id])
        if parts[:3] == ["v2", "checkout", "orders"] and len(parts) >= 4 and parts[3] in self.orders:
            order = self.orders[parts[3]]
            if method == "POST" and parts[4:] == ["capture"]:
                if order["status"] == "APPROVED":
                    unit = order["purchase_units"][0]
                    unit["payments"] = {"captures": [{"id": f"CAP{parts[3]}", "status": "COMPLETED",
                                                      "amount": dict(unit["amount"])}]}
                    order["status"] = "COMPLETED"
                    return self._json(201, order)
                return self._json(422, {"name": "UNPROCESSABLE_ENTITY"})
            return self._json(200, order)
        if method == "POST" and parts[:3] == ["v2", "payments", "captures"] and parts[4:] == ["refund"]:
            key = headers.get("paypal-request-id", "")
            refund = self.refunds.setdefault(key, {"id": f"1JU08902781691{len(self.refunds):03d}", "status": "COMPLETED",
                                                   "capture": parts[3], "amount": json.loads(body)["amount"]})
            return self._json(201, refund)
        return self._json(404, {"name": "RESOURCE_NOT_FOUND"})

    @staticmethod
    def _json(status, payload):
        return status, "application/json", json.dumps(payload).encode()

    def stop(self):
        self.server.stop()
