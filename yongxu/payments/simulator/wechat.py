"""The demo's WeChat Pay simulator: it speaks API v3 for Native payments (``/v3/pay/transactions/native``,
the query by out_trade_no, domestic refunds), checking the merchant's ``WECHATPAY2-SHA256-RSA2048``
Authorization with the merchant key generated for the demo. Its callbacks are signed with a simulator
"platform" key (``Wechatpay-Signature``) and carry the transaction AEAD_AES_256_GCM-encrypted with the
API v3 key, so the shop's real ``wechat`` provider runs end to end with no WeChat Pay account. The code_url
is the simulator's own pay page (clearly labelled a simulation)."""

import base64
import json
import re
import secrets
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from yongxu.core import clock
from yongxu.core.money import format_amount, from_minor_units, parse_amount, to_minor_units
from yongxu.core.numbers import parse_int
from yongxu.payments.providers.keys import load_private_key, sign_sha256, verify_sha256
from yongxu.payments.providers.wechat import BEIJING
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.simulator.tasks import notify_shop

PROTOCOL = "wechat"
PREFIX = "/simulator/wechat"
TOLERANCE = 300
AUTH = re.compile(r'^WECHATPAY2-SHA256-RSA2048 (?P<fields>.+)$')
FIELD = re.compile(r'(\w+)="([^"]*)"')
OPENID = "oSimulatorDemoBuyer0000000000"


def _enabled() -> None:
    if not settings.YONGXU_SIMULATOR or not settings.WECHAT_SIMULATOR_PRIVATE_KEY:
        raise Http404("The WeChat Pay simulator is off")


def _merchant() -> dict:
    return settings.YONGXU_PAYMENT_PROVIDERS["wechat"]


@cache
def _private_key(pem: str):
    return load_private_key(pem)


def _platform_key():
    """The simulator's "WeChat Pay platform" private key: it signs answers and callbacks."""
    return _private_key(settings.WECHAT_SIMULATOR_PRIVATE_KEY)


def _signed_headers(body: str) -> dict:
    timestamp, nonce = str(int(clock.now().timestamp())), secrets.token_hex(16)
    return {"Wechatpay-Timestamp": timestamp, "Wechatpay-Nonce": nonce, "Wechatpay-Serial": _merchant()["platform_serial"],
            "Wechatpay-Signature": sign_sha256(_platform_key(), f"{timestamp}\n{nonce}\n{body}\n"),
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}


def _json(status: int, payload: dict | None) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")) if payload is not None else ""
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    for name, value in _signed_headers(body).items():
        response[name] = value
    return response


def _error(status: int, code: str, message: str) -> HttpResponse:
    return _json(status, {"code": code, "message": message})


def _authentic(request) -> bool:
    """The merchant's signature over ``method\\npath?query\\ntimestamp\\nnonce\\nbody\\n``, as WeChat Pay checks it."""
    match = AUTH.match(request.headers.get("Authorization", ""))
    fields = dict(FIELD.findall(match["fields"])) if match else {}
    if (fields.get("mchid") != _merchant()["mchid"] or fields.get("serial_no") != _merchant()["cert_serial"]
            or parse_int(fields.get("timestamp"), max_digits=12) is None or not fields.get("nonce_str")):
        return False
    if abs(clock.now().timestamp() - int(fields["timestamp"])) > TOLERANCE:
        return False
    full = request.get_full_path()
    path = full[len(PREFIX):] if full.startswith(PREFIX) else full
    message = (f"{request.method}\n{path}\n{fields['timestamp']}\n{fields['nonce_str']}\n".encode()
               + request.body + b"\n")
    return verify_sha256(_private_key(_merchant()["private_key"]).public_key(), message, fields.get("signature", ""))


def _checked(view):
    def wrapper(request, *args, **kwargs):
        _enabled()
        if not _authentic(request):
            return _error(401, "SIGN_ERROR", "签名错误")
        return view(request, *args, **kwargs)
    wrapper.__name__ = view.__name__
    return csrf_exempt(wrapper)


def _body(request) -> dict | None:
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@_checked
@require_POST
def native(request):
    """``POST /v3/pay/transactions/native``: a Native order, answered with its ``code_url``."""
    body = _body(request)
    if body is None:
        return _error(400, "PARAM_ERROR", "请求体不是 JSON")
    if body.get("mchid") != _merchant()["mchid"] or body.get("appid") != _merchant()["appid"]:
        return _error(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")
    amount = body.get("amount") if isinstance(body.get("amount"), dict) else {}
    total = amount.get("total")
    if not body.get("out_trade_no") or not body.get("description") or not body.get("notify_url") or \
            not isinstance(total, int) or isinstance(total, bool) or total <= 0:
        return _error(400, "PARAM_ERROR", "参数错误")
    money = format_amount(from_minor_units(total))
    trade, created = SimulatedTrade.objects.get_or_create(
        protocol=PROTOCOL, pid=body["mchid"], out_trade_no=str(body["out_trade_no"]), defaults={
            "trade_no": "4200" + f"{secrets.randbelow(10**28):028d}", "pay_type": "NATIVE",
            "name": str(body["description"])[:200], "money": money, "notify_url": str(body["notify_url"]),
            "details": {"appid": body["appid"]}})
    if trade.status == 1:
        return _error(400, "ORDERPAID", "该订单已支付")
    if not created and trade.money != money:
        return _error(400, "INVALID_REQUEST", "201 商户订单号重复")
    return _json(200, {"code_url": request.build_absolute_uri(reverse("simulator-wechat-pay", args=[trade.trade_no]))})


def transaction(trade: SimulatedTrade) -> dict:
    """WeChat Pay's view of the trade, as the query answers it and the callback's resource carries it."""
    paid = trade.status == 1
    total = to_minor_units(parse_amount(trade.money))
    answer = {"appid": trade.details.get("appid", ""), "mchid": trade.pid, "out_trade_no": trade.out_trade_no,
              "trade_type": "NATIVE", "trade_state": "SUCCESS" if paid else "NOTPAY",
              "trade_state_desc": "支付成功" if paid else "订单未支付",
              "amount": {"total": total, "currency": "CNY", "payer_currency": "CNY"}}
    if paid:
        paid_total = to_minor_units(parse_amount(trade.paid_money))
        answer.update({"transaction_id": trade.trade_no, "bank_type": "OTHERS", "payer": {"openid": OPENID},
                       "success_time": (trade.paid_at or timezone.now()).astimezone(BEIJING).isoformat(timespec="seconds"),
                       "amount": {"total": paid_total, "payer_total": paid_total, "currency": "CNY",
                                  "payer_currency": "CNY"}})
    return answer


@_checked
@require_GET
def query(request, out_trade_no: str):
    """``GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=``."""
    if request.GET.get("mchid") != _merchant()["mchid"]:
        return _error(400, "PARAM_ERROR", "mchid 不匹配")
    trade = SimulatedTrade.objects.filter(protocol=PROTOCOL, pid=_merchant()["mchid"], out_trade_no=out_trade_no).first()
    if trade is None:
        return _error(404, "ORDER_NOT_EXIST", "订单不存在")
    return _json(200, transaction(trade))


@_checked
@require_POST
def refund(request):
    """``POST /v3/refund/domestic/refunds``: the same out_refund_no again answers as the first time."""
    body = _body(request) or {}
    trade = SimulatedTrade.objects.filter(protocol=PROTOCOL, pid=_merchant()["mchid"],
                                          out_trade_no=str(body.get("out_trade_no") or "")).first()
    if trade is None or trade.status != 1:
        return _error(404, "RESOURCE_NOT_EXISTS", "订单不存在")
    amount = body.get("amount") if isinstance(body.get("amount"), dict) else {}
    wanted, request_no = amount.get("refund"), str(body.get("out_refund_no") or "")
    if not request_no or not isinstance(wanted, int) or isinstance(wanted, bool) or wanted <= 0:
        return _error(400, "PARAM_ERROR", "参数错误")
    refunds = dict(trade.refunds)
    if request_no in refunds:
        if refunds[request_no] != format_amount(from_minor_units(wanted)):
            return _error(400, "INVALID_REQUEST", "退款金额不一致")
    else:
        refunded = sum(to_minor_units(parse_amount(value)) for value in refunds.values())
        if refunded + wanted > to_minor_units(parse_amount(trade.paid_money)):
            return _error(400, "NOT_ENOUGH", "退款金额超限")
        refunds[request_no] = format_amount(from_minor_units(wanted))
        trade.refunds = refunds
        trade.save(update_fields=["refunds"])
    index = list(refunds).index(request_no) + 1
    return _json(200, {"refund_id": f"50300000{trade.trade_no[-14:]}{index:02d}", "out_refund_no": request_no,
                       "transaction_id": trade.trade_no, "out_trade_no": trade.out_trade_no, "status": "SUCCESS",
                       "channel": "ORIGINAL", "user_received_account": "支付用户零钱",
                       "amount": {"refund": wanted, "total": to_minor_units(parse_amount(trade.money)),
                                  "currency": "CNY"}})


def pay_page(request, trade_no: str):
    """Where the code_url leads: the buyer's side of the "WeChat app", clearly labelled a simulation."""
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol=PROTOCOL, trade_no=trade_no)
    return render(request, "simulator/wechat_pay.html", {"trade": trade, "cancelled": request.GET.get("cancelled") == "1"})


@csrf_exempt  # the simulator plays WeChat's own app, not one of the shop's forms
@require_POST
def act(request, trade_no: str):
    """The buyer presses "pay", "pay the wrong amount" or "cancel" on the simulator's page."""
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol=PROTOCOL, trade_no=trade_no)
    action = request.POST.get("action")
    page = reverse("simulator-wechat-pay", args=[trade.trade_no])
    if action == "cancel":
        return redirect(f"{page}?cancelled=1")
    if action not in ("pay", "pay_wrong") or trade.status == 1:
        return redirect(page)
    paid = trade.money if action == "pay" else format_amount(parse_amount("0.01"))
    SimulatedTrade.objects.filter(pk=trade.pk, status=0).update(status=1, paid_money=paid, paid_at=timezone.now())
    notify_shop(trade)
    return redirect(page)


def notification(trade: SimulatedTrade) -> tuple[bytes, dict]:
    """(body, headers) of the callback WeChat Pay POSTs for a paid trade: the transaction encrypted with the
    API v3 key, the whole signed with the platform key."""
    nonce = secrets.token_hex(6)
    plain = json.dumps(transaction(trade), ensure_ascii=False).encode()
    ciphertext = AESGCM(_merchant()["apiv3_key"].encode()).encrypt(nonce.encode(), plain, b"transaction")
    now = timezone.now().astimezone(BEIJING).isoformat(timespec="seconds")
    body = json.dumps({"id": f"EV-{secrets.token_hex(10)}", "create_time": now, "resource_type": "encrypt-resource",
                       "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功", "resource": {
                           "original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                           "associated_data": "transaction", "nonce": nonce,
                           "ciphertext": base64.b64encode(ciphertext).decode()}}, ensure_ascii=False)
    return body.encode(), _signed_headers(body)
