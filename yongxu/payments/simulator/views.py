"""The demo's Epay gateway simulator: clearly labelled, speaking the real Epay V1 protocol, so the
demo shop runs the real ``epay`` provider end to end. Also the browser tests' gateway."""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from yongxu.core.money import InvalidAmount, format_amount, parse_amount
from yongxu.payments.providers.epay import check_signature
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.simulator.tasks import notify_shop

SUBMIT_FIELDS = ("pid", "type", "out_trade_no", "notify_url", "name", "money")


def _enabled() -> None:
    if not settings.YONGXU_SIMULATOR:
        raise Http404("The gateway simulator is off")


@csrf_exempt
def submit(request):
    _enabled()
    params = request.POST.dict() if request.method == "POST" else request.GET.dict()
    missing = [name for name in SUBMIT_FIELDS if not params.get(name)]
    if missing:
        return HttpResponseBadRequest(f"missing {', '.join(missing)}")
    if params["pid"] != settings.EPAY_PID or not check_signature(params, settings.EPAY_KEY):
        return HttpResponseBadRequest("bad signature")
    try:
        parse_amount(params["money"])
    except InvalidAmount:
        return HttpResponseBadRequest("bad money")
    trade, _ = SimulatedTrade.objects.get_or_create(
        protocol="epay", pid=params["pid"], out_trade_no=params["out_trade_no"], defaults={
            "trade_no": timezone.now().strftime("%Y%m%d%H%M%S") + secrets.token_hex(4), "pay_type": params["type"],
            "name": params["name"], "money": params["money"], "notify_url": params["notify_url"],
            "return_url": params.get("return_url", "")})
    return redirect("simulator-pay", trade_no=trade.trade_no)


def pay_page(request, trade_no: str):
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol="epay", trade_no=trade_no)
    return render(request, "simulator/pay.html", {"trade": trade})


@csrf_exempt  # the simulator plays the gateway's own site, not one of the shop's forms
@require_POST
def act(request, trade_no: str):
    """The buyer presses "pay", "pay the wrong amount" or "cancel" on the simulator's page."""
    _enabled()
    trade = get_object_or_404(SimulatedTrade, protocol="epay", trade_no=trade_no)
    action = request.POST.get("action")
    if action == "cancel":
        return redirect(trade.return_url or "/")
    if action not in ("pay", "pay_wrong") or trade.status == 1:
        return redirect("simulator-pay", trade_no=trade.trade_no)
    paid = trade.money if action == "pay" else format_amount(parse_amount("0.01"))
    SimulatedTrade.objects.filter(pk=trade.pk, status=0).update(status=1, paid_money=paid, paid_at=timezone.now())
    notify_shop(trade)
    return redirect(trade.return_url or "/")


def api(request):
    """Epay's query API: ``api.php?act=order&pid=&key=&out_trade_no=``."""
    _enabled()
    if request.GET.get("pid") != settings.EPAY_PID or request.GET.get("key") != settings.EPAY_KEY:
        return JsonResponse({"code": -1, "msg": "KEY校验失败"})
    if request.GET.get("act") != "order":
        return JsonResponse({"code": -4, "msg": "No Act"})
    trade = SimulatedTrade.objects.filter(protocol="epay", pid=settings.EPAY_PID,
                                          out_trade_no=request.GET.get("out_trade_no", "")).first()
    if trade is None:
        return JsonResponse({"code": -1, "msg": "订单号不存在"})
    return JsonResponse({"code": 1, "msg": "查询订单号成功！", "trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no,
                         "type": trade.pay_type, "pid": trade.pid, "name": trade.name,
                         "money": trade.paid_money or trade.money, "status": trade.status,
                         "addtime": trade.created_at.strftime("%Y-%m-%d %H:%M:%S")})


def notification_url(trade: SimulatedTrade) -> str:
    """The signed callback the simulator sends for a paid trade (GET, as most Epay gateways do)."""
    from yongxu.payments.providers.epay import signed

    params = signed({"pid": trade.pid, "trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no,
                     "type": trade.pay_type, "name": trade.name, "money": trade.paid_money,
                     "trade_status": "TRADE_SUCCESS"}, settings.EPAY_KEY)
    separator = "&" if "?" in trade.notify_url else "?"
    return f"{trade.notify_url}{separator}{urlencode(params)}"
