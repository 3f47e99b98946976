"""The payment provider contract. One subclass per gateway, one module per provider, listed by dotted
path in ``settings.YONGXU_PAYMENT_PROVIDERS``. Providers speak the gateway's protocol and nothing
else: they never touch orders, stock or the database. ``payments.services`` owns the money path."""

from dataclasses import dataclass, field
from decimal import Decimal

from yongxu.core.money import quantize


class InvalidNotification(Exception):
    """The callback is forged, tampered, malformed or stale. A retry cannot help: refuse it."""


class GatewayError(Exception):
    """The gateway could not be reached or answered nonsense. ``retryable`` says whether trying
    again later may help (network trouble, 5xx) or not (our credentials are wrong, 4xx)."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status  # the gateway's HTTP status, when it answered with an error


@dataclass(frozen=True)
class IncomingNotification:
    """A callback as it arrived: GET query and POST form merged into ``params``, the raw body, headers."""

    method: str
    params: dict[str, str]
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VerifiedNotification:
    """What an authentic callback says. ``paid`` is False for events that are not a completed payment
    (they are stored and ignored). ``reference`` is our Payment.reference."""

    reference: str
    trade_no: str
    amount: Decimal
    currency: str
    paid: bool


@dataclass(frozen=True)
class QueryResult:
    """The gateway's own answer to "was this paid?" (active query, reconciliation)."""

    paid: bool
    trade_no: str = ""
    amount: Decimal | None = None
    currency: str = ""


@dataclass(frozen=True)
class PaymentStart:
    """Where to send the buyer to pay, and anything to remember about the attempt."""

    redirect_url: str
    gateway_session: str = ""
    #: QR gateways: what the buyer scans (``qr_payload``); the buyer is then sent to our own pay page
    qr_payload: str = ""
    #: crypto gateways: the exact amount and currency to send, and where to
    crypto_amount: Decimal | None = None
    crypto_currency: str = ""
    crypto_address: str = ""


@dataclass(frozen=True)
class RefundResult:
    """The gateway's answer to a refund request. ``done`` False means accepted but still processing."""

    refund_id: str
    done: bool = True


@dataclass(frozen=True)
class GatewayTerms:
    """The merchant's terms for a gateway (GatewaySettings, or the settings dict): its place at checkout,
    the totals it takes and the fee passed on to the buyer. The fee is added to what the gateway is asked
    for; the limits apply to that total (fee included)."""

    sort_order: int = 100
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    fee_fixed: Decimal = Decimal("0")
    fee_percent: Decimal = Decimal("0")

    @classmethod
    def from_config(cls, config: dict) -> "GatewayTerms":
        def amount(key: str) -> Decimal | None:
            return None if config.get(key) in (None, "") else Decimal(str(config[key]))

        return cls(sort_order=int(config.get("sort_order", 100)), min_amount=amount("min_amount"),
                   max_amount=amount("max_amount"), fee_fixed=amount("fee_fixed") or Decimal("0"),
                   fee_percent=amount("fee_percent") or Decimal("0"))

    @property
    def has_fee(self) -> bool:
        return bool(self.fee_fixed or self.fee_percent)

    def fee(self, amount: Decimal) -> Decimal:
        """The fee on an order of ``amount``, rounded half up to the cent."""
        return quantize(self.fee_fixed + amount * self.fee_percent / 100)

    def total(self, amount: Decimal) -> Decimal:
        return quantize(amount) + self.fee(amount)

    def takes(self, amount: Decimal) -> bool:
        """Whether an order of ``amount`` (its total, fee included) is within the gateway's limits."""
        total = self.total(amount)
        return (self.min_amount is None or total >= self.min_amount) and (self.max_amount is None or total <= self.max_amount)


class PaymentProvider:
    #: shown to buyers at checkout
    label = ""
    #: currencies the gateway takes; None means any
    currencies: frozenset[str] | None = None
    #: what the gateway expects in answer to a callback it should not send again
    ack_body = "success"
    ack_content_type = "text/plain"
    #: the answer that makes the gateway send the callback again later
    retry_body = "fail"
    #: status code of those answers (WeChat Pay wants 204 for success, 5xx for "send again")
    ack_status = 200
    retry_status = 503
    #: the gateway has a refund API (``refund``); otherwise refunds are recorded as manual
    can_refund = False
    #: the buyer pays by scanning a QR code on our pay page
    shows_qr = False

    def __init__(self, name: str, config: dict):
        self.name = name
        self.config = config
        self.label = config.get("label") or self.label or name
        self.terms = GatewayTerms.from_config(config)

    def supports(self, currency: str) -> bool:
        return self.currencies is None or currency.upper() in self.currencies

    def start(self, payment, *, notify_url: str, return_url: str, cancel_url: str) -> PaymentStart:
        """Begin paying ``payment`` (its reference, amount, currency and order are set). May call the
        gateway (raise GatewayError) or only build a signed redirect. Must not change the database."""
        raise NotImplementedError

    def verify_notification(self, incoming: IncomingNotification) -> VerifiedNotification:
        """Check the callback's signature and parse it; raise InvalidNotification if it is not
        authentic. Do not check amounts against our records: the service does that."""
        raise NotImplementedError

    def query(self, payment) -> QueryResult:
        """Ask the gateway whether ``payment`` was paid. Raise GatewayError when it cannot say."""
        raise NotImplementedError

    def app_link(self, payment) -> str:
        """A link that opens the gateway's app on a phone to pay ``payment``, or "" if there is none."""
        return ""

    def refund(self, payment, *, amount: Decimal, request_id: str, reason: str) -> RefundResult:
        """Give ``amount`` of the succeeded ``payment`` back. ``request_id`` is unique per refund and
        is sent as the gateway's idempotency key (out_request_no, out_refund_no, PayPal-Request-Id), so
        repeating a request after a timeout never refunds twice. Raise GatewayError when refused."""
        raise NotImplementedError
