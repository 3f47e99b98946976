"""The demo's epusdt simulator: it speaks epusdt's GMPay API v1 (``create-transaction``, the checkout query)
with the HMAC-SHA256 signature keyed by an API token generated for the demo, so the shop's real ``epusdt``
provider runs end to end with no wallet and no epusdt server. The buyer "sends USDT" on the simulator's own
pay page (clearly labelled a simulation); paying there POSTs the signed JSON callback to the shop."""

import json
import secrets
from decimal import ROUND_UP, Decimal

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from yongxu.core.money import InvalidAmount, format_amount, parse_amount
from yongxu.payments.providers.epusdt import PAID, signature
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.simulator.tasks import notify_shop

PROTOCOL = "epusdt"
RATE = Decimal("7.20")  # the simulator's fixed CNY per USDT
ADDRESS = "TSimu1atorDemoAddressNotARealWa11et"  # not a valid TRC20 address, on purpose
EXPIRY_SECONDS = 20 * 60


def _enabled() -> None:
    if not settings.YONGXU_SIMULATOR or not settings.YONGXU_PAYMENT_PROVIDERS["epusdt"].get("simulated"):
        raise Http404("The epusdt simulator is off")


def _merchant() -> dict:
    return settings.YONGXU_PAYMENT_PROVIDERS["epusdt"]


def _answer(status_code: int, message: str, data: dict | None = None, *, http_status: int = 200) -> JsonResponse:
    return JsonResponse({"status_code": status_code, "message": message, "data": data, "request_id": secrets.token_hex(8)},
                        status=http_status, json_dumps_params={"ensure_ascii": False})


def _usdt(money: str) -> Decimal:
    """The exact USDT to send: the fiat at the fixed rate, rounded up to the cent, plus a few ten-thousandths
    to tell apart trades of the same amount (as epusdt does)."""
    base = (parse_amount(money) / RATE).quantize(Decimal("0.01"), rounding=ROUND_UP)
    same = SimulatedTrade.objects.filter(protocol=PROTOCOL, money=money, status=0).count()
    return base + Decimal("0.0001") * (same + 1)


def _data(request, trade: SimulatedTrade) -> dict:
    created = int(trade.created_at.timestamp())
    return {"trade_id": trade.trade_no, "order_id": trade.out_trade_no, "amount": float(trade.paid_money or trade.money),
            "actual_amount": float(trade.details["actual_amount"]), "token": "USDT", "currency": trade.details["currency"],
            "receive_address": trade.details["address"], "network": "tron", "status": PAID if trade.status == 1 else 1,
            "payment_type": "gmpay", "created_at": created, "expiration_time": created + EXPIRY_SECONDS,
            "payment_url": request.build_absolute_uri(reverse("simulator-epusdt-pay", args=[trade.trade_no]))}


@csrf_exempt
@require_POST
def create_transaction(request):
    """``/payments/gmpay/v1/order/create-transaction``: checks the request's signature with the API token."""
    _enabled()
    try:
        params = json.loads(request.body)
    except ValueError:
        params = None
    if not isinstance(params, dict):
        return _answer(400, "request body is not JSON", http_status=400)
    given = str(params.get("signature") or "").lower()
    if not given or not secrets.compare_digest(given, signature(params, _merchant()["secret"])):
        return _answer(401, "signature verification failed", http_status=400)
    if str(params.get("pid")) != str(_merchant()["pid"]):
        return _answer(400, "unknown pid", http_status=400)
    missing = [name for name in ("order_id", "amount", "notify_url") if params.get(name) in (None, "")]
    if missing:
        return _answer(400, f"missing {', '.join(missing)}", http_status=400)
    try:
        money = format_amount(parse_amount(str(params["amount"])))
    except InvalidAmount:
        return _answer(400, "bad amount", http_status=400)
    trade = SimulatedTrade.objects.filter(protocol=PROTOCOL, pid=str(params["pid"]),
                                          out_trade_no=str(params["order_id"])).first()
    if trade is None:
        trade = SimulatedTrade.objects.create(
            protocol=PROTOCOL, pid=str(params["pid"]), out_trade_no=str(params["order_id"]),
            trade_no=timezone.now().strftime("%Y%m%d%H%M%S") + f"{secrets.randbelow(10**8):08d}", pay_type="usdt",
            name=str(params.get("name") or params["order_id"])[:200], money=money,
            notify_url=str(params["notify_url"]), return_url=str(params.get("redirect_url") or ""),
            details={"actual_amount": str(_usdt(money)), "address": ADDRESS,
                     "currency": str(params.get("currency") or "cny").lower()})
    elif trade.money != money or trade.status == 1:
        return _answer(400, "order already exists" if trade.status != 1 else "order already paid", http_status=400)
    return _answer(200, "success", _data(request, trade))


@require_GET
def checkout(request, trade_no: str):
    """``/pay/checkout-counter-resp/<trade_id>``: what the checkout page knows of the trade."""
    _enabled()
    trade = SimulatedTrade.objects.filter(protocol=PROTOCOL, trade_no=trade_no).first()
    if trade is None:
        return _answer(404, "order not found", http_status=404)
    return _answer(200, "success", _data(request, trade))


def pay_page(request, trade_no: str):
    """Where the shop's QR code and link lead: the buyer's wallet, clearly labelled a simulation."""
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol=PROTOCOL, trade_no=trade_no)
    return render(request, "simulator/epusdt_pay.html", {"trade": trade, "cancelled": request.GET.get("cancelled") == "1"})


@csrf_exempt  # the simulator plays the buyer's wallet, not one of the shop's forms
@require_POST
def act(request, trade_no: str):
    """The buyer presses "send", "send the wrong amount" or "cancel" on the simulator's page."""
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol=PROTOCOL, trade_no=trade_no)
    action = request.POST.get("action")
    page = reverse("simulator-epusdt-pay", args=[trade.trade_no])
    if action == "cancel":
        return redirect(f"{page}?cancelled=1")
    if action not in ("pay", "pay_wrong") or trade.status == 1:
        return redirect(page)
    # epusdt reports the order's fiat amount for what arrived: a short transfer shows as a smaller amount.
    paid = trade.money if action == "pay" else format_amount(parse_amount("0.01"))
    SimulatedTrade.objects.filter(pk=trade.pk, status=0).update(
        status=1, paid_money=paid, paid_at=timezone.now(),
        details={**trade.details, "block_transaction_id": secrets.token_hex(32)})
    notify_shop(trade)
    return redirect(page)


def notification_payload(trade: SimulatedTrade) -> dict:
    """The JSON epusdt POSTs for a paid trade, signed HMAC-SHA256 with the API token."""
    body = {"pid": trade.pid, "trade_id": trade.trade_no, "order_id": trade.out_trade_no,
            "amount": float(trade.paid_money), "actual_amount": float(trade.details["actual_amount"]),
            "receive_address": trade.details["address"], "token": "usdt",
            "block_transaction_id": trade.details.get("block_transaction_id", ""), "status": PAID}
    return {**body, "signature": signature(body, _merchant()["secret"])}


def notification_body(trade: SimulatedTrade) -> bytes:
    return json.dumps(notification_payload(trade)).encode()
