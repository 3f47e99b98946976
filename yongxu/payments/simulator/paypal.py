"""The demo's PayPal simulator: it speaks the REST API the shop's ``paypal`` provider calls (OAuth2
client-credentials token, Orders v2 create / get / capture, capture refunds), checking the simulated client
id and secret. The approval link is the simulator's own pay page (clearly labelled a simulation); there the
buyer's "pay" approves the order and the simulator captures it at once, then sends the
``PAYMENT.CAPTURE.COMPLETED`` webhook signed SHA256withRSA as PayPal documents it, with a test key whose
self-signed certificate (generated for the demo, never committed) it serves itself — the only place the
simulated provider fetches certificates from. A lost webhook is made good by the shop's query on the buyer's
return, which reads (or captures) the order here."""

import base64
import hashlib
import hmac
import json
import secrets
import uuid
import zlib
from decimal import Decimal
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from yongxu.core.money import InvalidAmount, format_amount, parse_amount
from yongxu.payments.providers.keys import load_private_key, sign_sha256
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.simulator.tasks import notify_shop

PROTOCOL = "paypal"
CERT_NAME = "CERT-simulator-webhook"
ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
PAYER_ID = "SIMULATORPAYER"


def _enabled() -> None:
    if not settings.YONGXU_SIMULATOR or not settings.PAYPAL_SIMULATOR_PRIVATE_KEY:
        raise Http404("The PayPal simulator is off")


def _merchant() -> dict:
    return settings.YONGXU_PAYMENT_PROVIDERS["paypal"]


@cache
def _private_key(pem: str):
    return load_private_key(pem)


def _paypal_id(prefix: str = "") -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(17 - len(prefix)))


def _error(status: int, name: str, message: str) -> JsonResponse:
    return JsonResponse({"name": name, "message": message, "debug_id": secrets.token_hex(7)}, status=status)


def _access_token() -> str:
    """The one bearer token the simulated client's credentials earn (derived from them, so nothing is stored)."""
    merchant = _merchant()
    digest = hmac.new(merchant["secret"].encode(), merchant["client_id"].encode(), hashlib.sha256).hexdigest()
    return f"A21AA{digest[:40]}"


def _authorized(view):
    def wrapper(request, *args, **kwargs):
        _enabled()
        if not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {_access_token()}"):
            return _error(401, "AUTHENTICATION_FAILURE", "Authentication failed due to invalid authentication "
                                                          "credentials or a missing Authorization header.")
        return view(request, *args, **kwargs)
    wrapper.__name__ = view.__name__
    return csrf_exempt(wrapper)


@csrf_exempt
@require_POST
def token(request):
    """``POST /v1/oauth2/token`` with the client id and secret as HTTP Basic credentials."""
    _enabled()
    merchant = _merchant()
    expected = "Basic " + base64.b64encode(f"{merchant['client_id']}:{merchant['secret']}".encode()).decode()
    if not hmac.compare_digest(request.headers.get("Authorization", ""), expected):
        return JsonResponse({"error": "invalid_client", "error_description": "Client Authentication failed"}, status=401)
    if request.POST.get("grant_type") != "client_credentials":
        return JsonResponse({"error": "unsupported_grant_type", "error_description": "Grant Type is NULL"}, status=400)
    return JsonResponse({"scope": "https://uri.paypal.com/services/payments/payment", "access_token": _access_token(),
                         "token_type": "Bearer", "app_id": "APP-SIMULATOR", "expires_in": 32400,
                         "nonce": secrets.token_hex(16)})


def _body(request) -> dict | None:
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _money(value: str, currency: str) -> dict:
    return {"currency_code": currency, "value": value}


def order(trade: SimulatedTrade, request=None) -> dict:
    """PayPal's view of the order, as create, get and capture answer it."""
    details, currency = trade.details, trade.details.get("currency", "")
    unit = {"reference_id": trade.out_trade_no, "custom_id": trade.out_trade_no, "invoice_id": trade.out_trade_no,
            "description": trade.name, "amount": _money(trade.money, currency)}
    status = details.get("status", "PAYER_ACTION_REQUIRED")
    links = [{"rel": "self", "method": "GET",
              "href": f"{_merchant()['api_base']}/v2/checkout/orders/{trade.trade_no}"}]
    if status == "PAYER_ACTION_REQUIRED":
        page = reverse("simulator-paypal-pay", args=[trade.trade_no])
        links.append({"rel": "payer-action", "method": "GET",
                      "href": request.build_absolute_uri(page) if request else f"{settings.SITE_URL}{page}"})
    if status == "COMPLETED":
        unit["payments"] = {"captures": [{
            "id": details["capture_id"], "status": "COMPLETED", "amount": _money(trade.paid_money, currency),
            "custom_id": trade.out_trade_no, "invoice_id": trade.out_trade_no, "final_capture": True,
            "create_time": (trade.paid_at or timezone.now()).strftime("%Y-%m-%dT%H:%M:%SZ")}]}
    answer = {"id": trade.trade_no, "intent": "CAPTURE", "status": status, "purchase_units": [unit], "links": links,
              "create_time": trade.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if status in ("APPROVED", "COMPLETED"):
        answer["payer"] = {"payer_id": PAYER_ID, "email_address": "buyer@simulator.invalid"}
    return answer


@_authorized
@require_POST
def create_order(request):
    """``POST /v2/checkout/orders`` (intent CAPTURE, one purchase unit); the same PayPal-Request-Id (or the
    same custom_id) again answers with the same order."""
    body = _body(request)
    if body is None:
        return _error(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.")
    units = body.get("purchase_units")
    unit = units[0] if isinstance(units, list) and len(units) == 1 and isinstance(units[0], dict) else {}
    amount = unit.get("amount") if isinstance(unit.get("amount"), dict) else {}
    context = ((body.get("payment_source") or {}).get("paypal") or {}).get("experience_context") or {}
    reference = str(unit.get("custom_id") or unit.get("reference_id") or "")
    try:
        money = format_amount(parse_amount(str(amount.get("value", ""))))
    except InvalidAmount:
        money = ""
    currency = str(amount.get("currency_code") or "").upper()
    if body.get("intent") != "CAPTURE" or not reference or not money or Decimal(money) <= 0 or len(currency) != 3 \
            or not str(context.get("return_url", "")).startswith(("http://", "https://")):
        return _error(422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.")
    trade, created = SimulatedTrade.objects.get_or_create(
        protocol=PROTOCOL, pid=_merchant()["client_id"][:32], out_trade_no=reference[:64], defaults={
            "trade_no": _paypal_id(), "pay_type": "paypal", "name": str(unit.get("description") or reference)[:200],
            "money": money, "return_url": str(context["return_url"])[:500],
            "notify_url": f"{settings.SITE_URL}{reverse('pay-notify', args=[PROTOCOL])}",  # the webhook's URL
            "details": {"currency": currency, "cancel_url": str(context.get("cancel_url") or "")[:500],
                        "request_id": request.headers.get("PayPal-Request-Id", "")}})
    if not created and (trade.money, trade.details.get("currency")) != (money, currency):
        return _error(422, "UNPROCESSABLE_ENTITY", "DUPLICATE_INVOICE_ID")
    return JsonResponse(order(trade, request), status=201 if created else 200)


def _trade(order_id: str) -> SimulatedTrade | None:
    return SimulatedTrade.objects.filter(protocol=PROTOCOL, pid=_merchant()["client_id"][:32], trade_no=order_id).first()


@_authorized
@require_GET
def get_order(request, order_id: str):
    """``GET /v2/checkout/orders/{id}``."""
    trade = _trade(order_id)
    if trade is None:
        return _error(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.")
    return JsonResponse(order(trade, request))


def _capture(trade: SimulatedTrade, value: str) -> bool:
    """Capture an approved order for ``value``; True if this call did it (then the webhook goes out)."""
    details = {**trade.details, "status": "COMPLETED", "capture_id": _paypal_id()}
    return bool(SimulatedTrade.objects.filter(pk=trade.pk, status=0).update(
        status=1, paid_money=value, paid_at=timezone.now(), details=details))


@_authorized
@require_POST
def capture_order(request, order_id: str):
    """``POST /v2/checkout/orders/{id}/capture``: only an approved order; a captured one answers
    ORDER_ALREADY_CAPTURED unless the same PayPal-Request-Id repeats the capture."""
    trade = _trade(order_id)
    if trade is None:
        return _error(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.")
    request_id = request.headers.get("PayPal-Request-Id", "")
    status = trade.details.get("status", "PAYER_ACTION_REQUIRED")
    if status == "COMPLETED" and request_id and request_id == trade.details.get("capture_request_id"):
        return JsonResponse(order(trade, request), status=201)
    if status != "APPROVED":
        issue = "ORDER_ALREADY_CAPTURED" if status == "COMPLETED" else "ORDER_NOT_APPROVED"
        return _error(422, "UNPROCESSABLE_ENTITY", issue)
    trade.details = {**trade.details, "capture_request_id": request_id}
    if _capture(trade, trade.details.get("approved_value", trade.money)):
        notify_shop(trade)
    trade.refresh_from_db()
    return JsonResponse(order(trade, request), status=201)


@_authorized
@require_POST
def refund_capture(request, capture_id: str):
    """``POST /v2/payments/captures/{id}/refund``: the same PayPal-Request-Id again answers as the first time;
    refunds never add up to more than was captured."""
    trade = SimulatedTrade.objects.filter(protocol=PROTOCOL, pid=_merchant()["client_id"][:32], status=1,
                                          details__capture_id=capture_id).first()
    if trade is None:
        return _error(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.")
    body = _body(request) or {}
    amount = body.get("amount") if isinstance(body.get("amount"), dict) else {}
    try:
        wanted = parse_amount(str(amount.get("value", ""))) if amount else parse_amount(trade.paid_money)
    except InvalidAmount:
        return _error(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.")
    request_id = request.headers.get("PayPal-Request-Id", "") or secrets.token_hex(8)
    if amount and str(amount.get("currency_code", "")).upper() != trade.details.get("currency"):
        return _error(422, "UNPROCESSABLE_ENTITY", "CURRENCY_MISMATCH")
    refunds = dict(trade.refunds)
    if request_id in refunds:
        if parse_amount(refunds[request_id]) != wanted:
            return _error(422, "UNPROCESSABLE_ENTITY", "DUPLICATE_REQUEST_ID")
    else:
        refunded = sum((parse_amount(value) for value in refunds.values()), Decimal(0))
        if wanted <= 0 or refunded + wanted > parse_amount(trade.paid_money):
            return _error(422, "UNPROCESSABLE_ENTITY", "REFUND_AMOUNT_EXCEEDED")
        refunds[request_id] = format_amount(wanted)
        trade.refunds = refunds
        trade.save(update_fields=["refunds"])
    index = list(refunds).index(request_id) + 1
    return JsonResponse({"id": f"{capture_id[:15]}R{index}"[-17:], "status": "COMPLETED",
                         "amount": _money(refunds[request_id], trade.details.get("currency", ""))}, status=201)


@require_GET
def certificate(request, name: str):
    """``GET /v1/notifications/certs/{name}``: the webhook-signing certificate (PEM) the PAYPAL-CERT-URL names."""
    _enabled()
    if name != CERT_NAME:
        raise Http404("no such certificate")
    return HttpResponse(settings.PAYPAL_SIMULATOR_CERTIFICATE, content_type="application/x-pem-file")


def certificate_url() -> str:
    return f"{_merchant()['api_base'].rstrip('/')}/v1/notifications/certs/{CERT_NAME}"


def pay_page(request, trade_no: str):
    """Where the approval link leads: the buyer's side of PayPal's checkout, clearly labelled a simulation."""
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol=PROTOCOL, trade_no=trade_no)
    return render(request, "simulator/paypal_pay.html", {
        "trade": trade, "currency": trade.details.get("currency", ""),
        "refunded": sum((parse_amount(value) for value in trade.refunds.values()), Decimal(0))})


def _back(url: str, **params) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


@csrf_exempt  # the simulator plays PayPal's own checkout, not one of the shop's forms
@require_POST
def act(request, trade_no: str):
    """The buyer presses "pay", "pay the wrong amount" or "cancel" on the simulator's page. Paying approves
    the order and captures it at once; then the buyer goes back to the shop's return URL, as on PayPal."""
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol=PROTOCOL, trade_no=trade_no)
    action = request.POST.get("action")
    page = reverse("simulator-paypal-pay", args=[trade.trade_no])
    if action == "cancel":
        return redirect(_back(trade.details.get("cancel_url") or page, token=trade.trade_no))
    if action not in ("pay", "pay_wrong") or trade.status == 1:
        return redirect(page)
    value = trade.money if action == "pay" else format_amount(parse_amount("0.01"))
    trade.details = {**trade.details, "status": "APPROVED", "approved_value": value}
    if _capture(trade, value):
        notify_shop(trade)
    return redirect(_back(trade.return_url or page, token=trade.trade_no, PayerID=PAYER_ID))


def notification(trade: SimulatedTrade) -> tuple[bytes, dict]:
    """(body, headers) of the PAYMENT.CAPTURE.COMPLETED webhook for a captured order: the message
    ``transmission id|time|webhook id|CRC32(body)`` signed SHA256withRSA with the simulator's key, whose
    certificate is at PAYPAL-CERT-URL."""
    currency, now = trade.details.get("currency", ""), timezone.now()
    resource = {"id": trade.details.get("capture_id", ""), "status": "COMPLETED",
                "amount": _money(trade.paid_money, currency), "custom_id": trade.out_trade_no,
                "invoice_id": trade.out_trade_no, "final_capture": True,
                "supplementary_data": {"related_ids": {"order_id": trade.trade_no}},
                "create_time": (trade.paid_at or now).strftime("%Y-%m-%dT%H:%M:%SZ")}
    body = json.dumps({"id": f"WH-{_paypal_id()}", "event_version": "1.0", "resource_type": "capture",
                       "resource_version": "2.0", "event_type": "PAYMENT.CAPTURE.COMPLETED",
                       "summary": f"Payment completed for {trade.paid_money} {currency}", "resource": resource,
                       "create_time": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}).encode()
    transmission_id, time = str(uuid.uuid4()), now.strftime("%Y-%m-%dT%H:%M:%SZ")
    message = f"{transmission_id}|{time}|{_merchant()['webhook_id']}|{zlib.crc32(body)}"
    return body, {"Paypal-Transmission-Id": transmission_id, "Paypal-Transmission-Time": time,
                  "Paypal-Transmission-Sig": sign_sha256(_private_key(settings.PAYPAL_SIMULATOR_PRIVATE_KEY), message),
                  "Paypal-Cert-Url": certificate_url(), "Paypal-Auth-Algo": "SHA256withRSA"}
