"""The status page and its feeds (capability ``status``: never closed), subscribe/confirm/unsubscribe,
and the buyers' "need something before the window?" form (``support``). Thin: parse, call, render."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from yongxu.core.errors import DomainError
from yongxu.core.http import client_ip
from yongxu.core.ratelimit import hit
from yongxu.maintenance.services import Report
from yongxu.maintenance.snapshot import current_state
from yongxu.notices import feeds, services, status


def _language(request) -> str:
    return get_language() or settings.LANGUAGE_CODE


def status_page(request):
    state = current_state()
    return render(request, "notices/status.html", {"report": Report(state).as_dict(), "state": state,
                                                   "status": status.snapshot(state)})


def status_partial(request):
    """The live part of the status page, polled by htmx every few seconds."""
    state = current_state()
    response = render(request, "notices/_status_live.html", {"report": Report(state).as_dict(), "state": state,
                                                             "status": status.snapshot(state)})
    response["Cache-Control"] = "no-store"
    return response


def status_json(request):
    state = current_state()
    data = status.snapshot(state)
    body = {**Report(state).as_dict(), "overall": data["overall"], "capabilities": data["capabilities"],
            "windows": {"active": data["active_windows"], "upcoming": data["upcoming_windows"],
                        "recent": data["past_windows"]},
            # Closures no window owns (manual switches, protections…), described through their sources.
            "closure_history": {"active": data["active_closures"], "upcoming": data["upcoming_closures"],
                                "recent": data["past_closures"]}}
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def atom_feed(request):
    response = HttpResponse(feeds.atom(_language(request)), content_type="application/atom+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def calendar_feed(request):
    response = HttpResponse(feeds.calendar(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="maintenance.ics"'
    return response


@require_POST
def subscribe(request):
    try:
        hit(f"notices-subscribe:{client_ip(request)}", limit=10, window=3600)
        subscriber = services.subscribe_status(email=request.POST.get("email", ""), language=_language(request),
                                               actor=f"buyer:{client_ip(request)}")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Almost done: we sent a confirmation link to %(email)s.") % {"email": subscriber.email})
    return redirect("status")


@require_POST
def subscribe_webhook(request):
    """A webhook from the status page: activated only once the URL echoed our signed challenge."""
    from yongxu.notices import webhook_subscriptions

    try:
        hit(f"notices-webhook:{client_ip(request)}", limit=5, window=3600)
        endpoint = webhook_subscriptions.subscribe_webhook(url=request.POST.get("url", ""), ip=client_ip(request),
                                                           actor=f"buyer:{client_ip(request)}")
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("status")
    # The secret is shown once, on this page (not stored in a message cookie).
    response = render(request, "notices/webhook_subscribed.html", {"endpoint": endpoint})
    response["Cache-Control"] = "no-store"
    return response


def confirm(request, token: str):
    try:
        subscriber = services.confirm_subscription(token, actor="buyer:link")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Subscribed: %(email)s will hear of planned maintenance.") % {"email": subscriber.email})
    return redirect("status")


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" with no token of ours
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "GET":  # a link scanner's GET changes nothing; the buyer presses one button
        return render(request, "notices/unsubscribe.html", {"token": token, "done": False})
    try:
        email = services.unsubscribe(token, actor="buyer:link")
    except DomainError as error:
        return render(request, "notices/unsubscribe.html", {"error": error.message, "done": False}, status=400)
    return render(request, "notices/unsubscribe.html", {"done": True, "email": email})


@require_http_methods(["GET", "POST"])
def feedback(request, window_id: int):
    try:
        window = services.open_window(window_id)
    except DomainError as error:
        return render(request, "notices/feedback.html", {"error": error.message}, status=404)
    if request.method == "POST":
        try:
            hit(f"notices-feedback:{client_ip(request)}", limit=10, window=3600)
            services.leave_feedback(window, email=request.POST.get("email", ""), message=request.POST.get("message", ""),
                                    language=_language(request), actor=f"buyer:{client_ip(request)}")
        except DomainError as error:
            return render(request, "notices/feedback.html", {"window": window, "error": error.message,
                                                             "posted": request.POST}, status=400)
        return render(request, "notices/feedback.html", {"window": window, "done": True})
    return render(request, "notices/feedback.html", {"window": window})
