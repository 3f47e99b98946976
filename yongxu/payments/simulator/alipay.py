"""The demo's Alipay simulator: it speaks Alipay's OpenAPI (``gateway.do``: ``alipay.trade.precreate``,
``.query``, ``.refund``) with RSA2 signatures made by a key pair generated for the demo, so the shop's real
``alipay`` provider runs end to end with no Alipay account. The QR code points to the simulator's own pay
page (clearly labelled a simulation); paying there POSTs the signed asynchronous notification to the shop."""

import json
import secrets
from decimal import Decimal
from functools import cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from yongxu.core.money import InvalidAmount, format_amount, parse_amount
from yongxu.payments.providers.alipay import signing_string
from yongxu.payments.providers.keys import load_private_key, sign_sha256, verify_sha256
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.simulator.tasks import notify_shop

PROTOCOL = "alipay"
BEIJING = ZoneInfo("Asia/Shanghai")
METHODS = ("alipay.trade.precreate", "alipay.trade.query", "alipay.trade.refund")
BUYER = "sim***@demo.test"
SELLER_ID = "2088000000000000"


def _enabled() -> None:
    if not settings.YONGXU_SIMULATOR or not settings.ALIPAY_SIMULATOR_PRIVATE_KEY:
        raise Http404("The Alipay simulator is off")


def _merchant() -> dict:
    return settings.YONGXU_PAYMENT_PROVIDERS["alipay"]


@cache
def _private_key(pem: str):
    return load_private_key(pem)


def _simulator_key():
    """The simulator's "Alipay" private key: it signs answers and notifications."""
    return _private_key(settings.ALIPAY_SIMULATOR_PRIVATE_KEY)


def _merchant_public_key():
    """The merchant's app public key, registered with "Alipay" (derived from the demo's app key)."""
    return _private_key(_merchant()["private_key"]).public_key()


def _beijing(moment) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _reply(method: str, body: dict, *, signed: bool = True) -> HttpResponse:
    """Alipay's answer: ``{"<method>_response": {...}, "sign": "..."}``, signed over the exact object text."""
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    name = method.replace(".", "_") + "_response" if method in METHODS else "error_response"
    raw = f'{{"{name}":{content}'
    if signed:
        raw += f',"sign":{json.dumps(sign_sha256(_simulator_key(), content))}'
    return HttpResponse(raw + "}", content_type="application/json; charset=utf-8")


def _failed(method: str, code: str, msg: str, sub_code: str, sub_msg: str, **fields) -> HttpResponse:
    return _reply(method, {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg, **fields})


@csrf_exempt
@require_POST
def gateway(request):
    """``gateway.do``: checks the request's RSA2 signature with the merchant's public key, as Alipay does."""
    _enabled()
    params = request.POST.dict() or request.GET.dict()
    method = params.get("method", "")
    if params.get("sign_type") != "RSA2" or not verify_sha256(_merchant_public_key(), signing_string(params),
                                                               params.get("sign", "")):
        return _reply(method, {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-signature",
                               "sub_msg": "验签出错"}, signed=False)
    if params.get("app_id") != str(_merchant()["app_id"]):
        return _reply(method, {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-app-id",
                               "sub_msg": "无效的AppID参数"}, signed=False)
    if method not in METHODS:
        return _reply(method, {"code": "40004", "msg": "Business Failed", "sub_code": "isv.invalid-method",
                               "sub_msg": "不存在的方法名"}, signed=False)
    try:
        biz = json.loads(params.get("biz_content") or "{}")
    except ValueError:
        biz = None
    if not isinstance(biz, dict):
        return _failed(method, "40002", "Invalid Arguments", "isv.invalid-parameter", "biz_content 不是 JSON")
    return {"alipay.trade.precreate": _precreate, "alipay.trade.query": _query,
            "alipay.trade.refund": _refund}[method](request, method, params, biz)


def _trade(params: dict, biz: dict) -> SimulatedTrade | None:
    found = SimulatedTrade.objects.filter(protocol=PROTOCOL, pid=params["app_id"])
    if biz.get("out_trade_no"):
        return found.filter(out_trade_no=biz["out_trade_no"]).first()
    if biz.get("trade_no"):
        return found.filter(trade_no=biz["trade_no"]).first()
    return None


def _precreate(request, method: str, params: dict, biz: dict) -> HttpResponse:
    if not biz.get("out_trade_no") or not biz.get("subject") or not params.get("notify_url"):
        return _failed(method, "40002", "Invalid Arguments", "isv.missing-parameter", "缺少必选参数")
    try:
        amount = parse_amount(str(biz.get("total_amount", "")))
    except InvalidAmount:
        return _failed(method, "40002", "Invalid Arguments", "isv.invalid-parameter", "total_amount 无效")
    trade, created = SimulatedTrade.objects.get_or_create(
        protocol=PROTOCOL, pid=params["app_id"], out_trade_no=biz["out_trade_no"], defaults={
            "trade_no": timezone.now().astimezone(BEIJING).strftime("%Y%m%d") + "22001" + f"{secrets.randbelow(10**15):015d}",
            "pay_type": "alipay", "name": str(biz["subject"])[:200], "money": format_amount(amount),
            "notify_url": params["notify_url"]})
    if not created and (trade.money != format_amount(amount) or trade.status == 1):
        return _failed(method, "40004", "Business Failed", "ACQ.TRADE_HAS_SUCCESS" if trade.status == 1
                       else "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改" if trade.status != 1 else "交易已被支付",
                       out_trade_no=trade.out_trade_no)
    qr_code = request.build_absolute_uri(reverse("simulator-alipay-pay", args=[trade.trade_no]))
    return _reply(method, {"code": "10000", "msg": "Success", "out_trade_no": trade.out_trade_no, "qr_code": qr_code})


def _query(request, method: str, params: dict, biz: dict) -> HttpResponse:
    trade = _trade(params, biz)
    if trade is None:
        return _failed(method, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在")
    answer = {"code": "10000", "msg": "Success", "trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no,
              "buyer_logon_id": BUYER, "trade_status": "TRADE_SUCCESS" if trade.status == 1 else "WAIT_BUYER_PAY",
              "total_amount": trade.paid_money or trade.money}
    if trade.paid_at:
        answer["send_pay_date"] = _beijing(trade.paid_at)
    return _reply(method, answer)


def _refund(request, method: str, params: dict, biz: dict) -> HttpResponse:
    trade = _trade(params, biz)
    if trade is None:
        return _failed(method, "40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在")
    if trade.status != 1:
        return _failed(method, "40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
    try:
        amount = parse_amount(str(biz.get("refund_amount", "")))
    except InvalidAmount:
        return _failed(method, "40002", "Invalid Arguments", "isv.invalid-parameter", "refund_amount 无效")
    request_no = str(biz.get("out_request_no") or trade.out_trade_no)
    refunds = dict(trade.refunds)
    if request_no in refunds:  # the same request again: Alipay answers as the first time
        if parse_amount(refunds[request_no]) != amount:
            return _failed(method, "40004", "Business Failed", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额不一致")
    else:
        refunded = sum((Decimal(value) for value in refunds.values()), Decimal("0"))
        if amount <= 0 or refunded + amount > parse_amount(trade.paid_money):
            return _failed(method, "40004", "Business Failed", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
        refunds[request_no] = format_amount(amount)
        trade.refunds = refunds
        trade.save(update_fields=["refunds"])
    total = sum((Decimal(value) for value in refunds.values()), Decimal("0"))
    return _reply(method, {"code": "10000", "msg": "Success", "trade_no": trade.trade_no,
                           "out_trade_no": trade.out_trade_no, "buyer_logon_id": BUYER, "fund_change": "Y",
                           "refund_fee": format_amount(total), "gmt_refund_pay": _beijing(timezone.now())})


def pay_page(request, trade_no: str):
    """Where the QR code leads: the buyer's side of the "Alipay app", clearly labelled a simulation."""
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol=PROTOCOL, trade_no=trade_no)
    return render(request, "simulator/alipay_pay.html", {
        "trade": trade, "refunded": sum((Decimal(value) for value in trade.refunds.values()), Decimal("0")),
        "cancelled": request.GET.get("cancelled") == "1"})


@csrf_exempt  # the simulator plays Alipay's own app, not one of the shop's forms
@require_POST
def act(request, trade_no: str):
    """The buyer presses "pay", "pay the wrong amount" or "cancel" on the simulator's page."""
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol=PROTOCOL, trade_no=trade_no)
    action = request.POST.get("action")
    page = reverse("simulator-alipay-pay", args=[trade.trade_no])
    if action == "cancel":
        return redirect(f"{page}?cancelled=1")
    if action not in ("pay", "pay_wrong") or trade.status == 1:
        return redirect(page)
    paid = trade.money if action == "pay" else format_amount(parse_amount("0.01"))
    SimulatedTrade.objects.filter(pk=trade.pk, status=0).update(status=1, paid_money=paid, paid_at=timezone.now())
    notify_shop(trade)
    return redirect(page)


def notification_form(trade: SimulatedTrade) -> dict:
    """The asynchronous notification Alipay POSTs for a paid trade, signed RSA2 with "Alipay's" key over
    its fields except ``sign`` and ``sign_type``."""
    paid_at = _beijing(trade.paid_at or timezone.now())
    params = {"notify_time": _beijing(timezone.now()), "notify_type": "trade_status_sync",
              "notify_id": secrets.token_hex(16), "app_id": trade.pid, "charset": "utf-8", "version": "1.0",
              "sign_type": "RSA2", "trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no,
              "buyer_logon_id": BUYER, "seller_id": SELLER_ID, "trade_status": "TRADE_SUCCESS",
              "total_amount": trade.paid_money, "receipt_amount": trade.paid_money,
              "buyer_pay_amount": trade.paid_money, "subject": trade.name,
              "gmt_create": _beijing(trade.created_at), "gmt_payment": paid_at}
    params["sign"] = sign_sha256(_simulator_key(), signing_string(params, exclude=("sign", "sign_type")))
    return params


def notification_body(trade: SimulatedTrade) -> bytes:
    return urlencode(notification_form(trade)).encode()
