"""HTTP as buyers, API clients and a payment gateway see it: one connection per request, a time-out on
each, every answer (or failure to answer) recorded with its status code."""

from __future__ import annotations

import hashlib
import http.client
import json
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from faults.harness.shop import EPAY_KEY, FAULT_PRODUCT


@dataclass(frozen=True)
class Outcome:
    at: float
    kind: str  # "page", "api", "notify", "probe"…
    method: str
    path: str
    status: int | None  # None: no answer (refused, reset, timed out)
    error: str = ""
    seconds: float = 0.0


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class NoAnswer(Exception):
    """The server did not answer (connection refused or reset, or the time-out passed)."""


class Recorder:
    """Every request made through ``request`` lands here, thread-safely."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()

    def add(self, outcome: Outcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)

    def snapshot(self, kinds: set[str] | None = None) -> list[Outcome]:
        with self._lock:
            return [o for o in self.outcomes if kinds is None or o.kind in kinds]

    def server_errors(self, kinds: set[str] | None = None) -> list[Outcome]:
        return [o for o in self.snapshot(kinds) if o.status is not None and o.status >= 500]

    def no_answers(self, kinds: set[str] | None = None) -> list[Outcome]:
        return [o for o in self.snapshot(kinds) if o.status is None]

    def counts(self) -> dict[str, int]:
        """``"kind status"`` → how many, e.g. ``{"api 201": 50, "notify 503": 3}``."""
        return dict(sorted(Counter(f"{o.kind} {o.status if o.status is not None else o.error}"
                                   for o in self.snapshot()).items()))


def request(port: int, method: str, path: str, *, recorder: Recorder | None, kind: str, payload=None,
            body: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 10) -> Response:
    headers = dict(headers or {})
    if payload is not None:
        body, headers["Content-Type"] = json.dumps(payload).encode(), "application/json"
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        raw = conn.getresponse()
        response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
    except (OSError, http.client.HTTPException) as exc:
        if recorder is not None:
            recorder.add(Outcome(started, kind, method, path.split("?")[0], None, type(exc).__name__,
                                 round(time.monotonic() - started, 3)))
        raise NoAnswer(f"{method} {path.split('?')[0]}: {type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()
    if recorder is not None:
        recorder.add(Outcome(started, kind, method, path.split("?")[0], response.status, "",
                             round(time.monotonic() - started, 3)))
    return response


def epay_sign(params: dict[str, str], key: str = EPAY_KEY) -> str:
    text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k not in ("sign", "sign_type") and params[k] != "")
    return hashlib.md5((text + key).encode()).hexdigest()  # noqa: S324 - Epay's protocol is MD5


def epay_notification(redirect_url: str, trade_no: str) -> str:
    """The query string a real Epay gateway sends to /pay/notify/epay/ for a paid ``redirect_url``."""
    query = dict(parse_qsl(urlsplit(redirect_url).query))
    params = {"pid": query["pid"], "trade_no": trade_no, "out_trade_no": query["out_trade_no"], "type": query["type"],
              "name": query["name"], "money": query["money"], "trade_status": "TRADE_SUCCESS"}
    params |= {"sign": epay_sign(params), "sign_type": "MD5"}
    return urlencode(params)


class CheckoutFailed(Exception):
    pass


@dataclass
class Checkout:
    """One buyer's purchase, as far as it got."""
    index: int
    email: str
    ip: str
    trade_no: str  # the gateway's own transaction number, unique in the run
    number: str = ""
    token: str = ""
    notification: str = ""  # the gateway's signed query string, once the payment was started
    acknowledged: bool = False  # the shop answered the gateway "success"
    keys: list[str] = field(default_factory=list)
    status: str = ""
    errors: list[str] = field(default_factory=list)


class Buyer:
    """Buys ``fault-card`` through the API, plays the gateway for its own payment (retrying a refused or
    unanswered notification as gateways do) and reads its keys back from the API and the order page."""

    def __init__(self, port: int, recorder: Recorder, *, notify_attempts: int = 20, retry_every: float = 0.5,
                 timeout: float = 10) -> None:
        self.port, self.recorder = port, recorder
        self.notify_attempts, self.retry_every, self.timeout = notify_attempts, retry_every, timeout

    def headers(self, checkout: Checkout) -> dict[str, str]:
        return {"X-Forwarded-For": checkout.ip, "Accept-Language": "en"}

    def call(self, checkout: Checkout, method: str, path: str, *, kind: str = "api", payload=None) -> Response:
        return request(self.port, method, path, recorder=self.recorder, kind=kind, payload=payload,
                       headers=self.headers(checkout), timeout=self.timeout)

    def place(self, checkout: Checkout) -> Checkout:
        """Create the order and start its payment."""
        order = self.call(checkout, "POST", "/api/v1/orders",
                          payload={"product": FAULT_PRODUCT, "quantity": 1, "email": checkout.email})
        if order.status != 201:
            raise CheckoutFailed(f"create order: HTTP {order.status} {order.body[:200]!r}")
        checkout.number, checkout.token = order.json()["number"], order.json()["token"]
        payment = self.call(checkout, "POST", f"/api/v1/orders/{checkout.token}/payments", payload={"provider": "epay"})
        if payment.status != 201:
            raise CheckoutFailed(f"start payment: HTTP {payment.status} {payment.body[:200]!r}")
        checkout.notification = epay_notification(payment.json()["redirect_url"], checkout.trade_no)
        return checkout

    def notify(self, checkout: Checkout, *, attempts: int | None = None) -> bool:
        """Send the gateway's notification until the shop says "success" (or the attempts run out)."""
        for attempt in range(attempts or self.notify_attempts):
            if attempt:
                time.sleep(self.retry_every)
            try:
                answer = request(self.port, "GET", "/pay/notify/epay/?" + checkout.notification, recorder=self.recorder,
                                 kind="notify", timeout=self.timeout)
            except NoAnswer as exc:
                checkout.errors.append(str(exc))
                continue
            if answer.status == 200 and answer.body.strip() == b"success":
                checkout.acknowledged = True
                return True
            checkout.errors.append(f"notify: HTTP {answer.status} {answer.body[:80]!r}")
        return False

    def read_back(self, checkout: Checkout) -> Checkout:
        """The order as the API and the order page show it."""
        order = self.call(checkout, "GET", f"/api/v1/orders/{checkout.token}")
        if order.status != 200:
            raise CheckoutFailed(f"read order: HTTP {order.status} {order.body[:200]!r}")
        checkout.status, checkout.keys = order.json()["status"], order.json()["items"] or []
        page = self.call(checkout, "GET", f"/o/{checkout.token}/", kind="page")
        if page.status != 200 or any(key not in page.text for key in checkout.keys):
            raise CheckoutFailed(f"order page: HTTP {page.status}, keys shown: "
                                 f"{all(key in page.text for key in checkout.keys)}")
        return checkout

    def finish(self, checkout: Checkout) -> Checkout:
        """After a fault: the gateway goes on retrying an unacknowledged notification; the buyer reloads."""
        try:
            if checkout.acknowledged or self.notify(checkout):
                self.read_back(checkout)
        except (CheckoutFailed, NoAnswer, KeyError, ValueError) as exc:
            checkout.errors.append(f"{type(exc).__name__}: {exc}")
        return checkout

    def buy(self, checkout: Checkout) -> Checkout:
        """The whole checkout; failures are kept on the checkout, never raised."""
        try:
            self.place(checkout)
            if self.notify(checkout):
                self.read_back(checkout)
        except (CheckoutFailed, NoAnswer, KeyError, ValueError) as exc:
            checkout.errors.append(f"{type(exc).__name__}: {exc}")
        return checkout


def new_checkouts(count: int, *, tag: str, start: int = 0) -> list[Checkout]:
    return [Checkout(index=start + i, email=f"buyer-{tag}-{start + i}@example.com", trade_no=f"FT-{tag}-{start + i}",
                     ip=f"10.{zlib.crc32(tag.encode()) % 250}.{(start + i) // 250 % 250}.{(start + i) % 250 + 1}")
            for i in range(count)]
