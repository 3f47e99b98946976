from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from yongxu.core.capabilities import ALL, NEVER_CLOSED, is_capability
from yongxu.core.errors import DomainError
from yongxu.core.http import client_ip
from yongxu.core.numbers import parse_int
from yongxu.core.ratelimit import hit
from yongxu.maintenance import bypass, sources
from yongxu.maintenance.models import BackSubscriber
from yongxu.maintenance.routes import capabilities_of
from yongxu.maintenance.services import MaintenanceError
from yongxu.maintenance.snapshot import current_state
from yongxu.maintenance.state import ClosureView


def bypass_link(request, secret: str):
    """The secret link: sets a signed cookie bound to this maintenance and its current secret."""
    hit(f"bypass:{client_ip(request)}", limit=20, window=600)
    closure = bypass.closure_for_secret(current_state(), secret)
    if closure is None:
        raise Http404("No such bypass link (it may have expired or been rotated)")
    response = redirect("/")
    response.set_cookie(bypass.COOKIE, bypass.cookie_value(closure), max_age=settings.YONGXU_BYPASS_HOURS * 3600,
                        httponly=True, samesite="Lax", secure=request.is_secure())
    return response


@csrf_exempt  # posted from the pre-rendered, static maintenance page, which can carry no CSRF token
@require_POST
def subscribe_back(request):
    """"E-mail me when it's back", from the maintenance page (which works with the shop closed) or the
    status page. The maintenance page posts the capabilities it was rendered for (``waiting_for``) and the
    path the visitor hit (``path``); the status page may name one capability; nothing named: the whole shop."""
    email = request.POST.get("email", "").strip()
    try:
        hit(f"back:{client_ip(request)}", limit=10, window=3600)
        validate_email(email)
    except ValidationError:
        messages.error(request, _("Please enter a valid e-mail address."))
        return redirect("status")
    waiting_for = _waiting_for(request.POST.get("path", ""), request.POST.getlist("waiting_for"))
    with transaction.atomic():
        subscriber, created = BackSubscriber.objects.select_for_update().get_or_create(
            email=email.lower(), notified_at=None,
            defaults={"language": get_language() or settings.LANGUAGE_CODE, "waiting_for": waiting_for})
        if not created and subscriber.waiting_for:  # asked again: wait for both (empty, the whole shop, wins)
            subscriber.waiting_for = sorted(set(subscriber.waiting_for) | set(waiting_for)) if waiting_for else []
            subscriber.save(update_fields=["waiting_for"])
    messages.success(request, _("Thank you — we will e-mail %(email)s as soon as the shop is back.") % {"email": email})
    return redirect("status")


def _waiting_for(path: str, named: list[str]) -> list[str]:
    """The capabilities a visitor waits for: the one of the page they hit when it is closed, else those
    named (only real, closable ones), else none (the whole shop)."""
    state = current_state()
    if path.startswith("/") and len(path) < 500:
        try:
            match = resolve(path.split("?", 1)[0])
        except Resolver404:
            match = None
        if match is not None:
            closed = [c for c in capabilities_of(SimpleNamespace(resolver_match=match, method="GET"))
                      if c and c not in NEVER_CLOSED and state.is_closed(c)]
            if closed:
                return sorted(set(closed))
    return sorted({name for name in named[:20] if is_capability(name) and name not in NEVER_CLOSED})


@staff_member_required
def control_room(request):
    """The operators' control room: the state per capability, presets behind a confirmation,
    progress, and a live preview of the buyers' maintenance page."""
    from yongxu.maintenance import services
    from yongxu.maintenance.page import render as render_page
    from yongxu.maintenance.state import effective_state

    can_operate = request.user.has_perm("maintenance.operate")
    if request.method == "POST":
        if not can_operate:
            raise PermissionDenied
        try:
            _control(request, services)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("control-room")
    report = services.report()
    data = report.as_dict()
    # With nothing on, the preview shows what the full preset's manual switch would show.
    preview_state = report.state if report.state.in_maintenance else effective_state(
        [ClosureView(id=0, source=sources.MANUAL, level="full", capabilities=frozenset(), starts_at=report.state.at,
                     public_reason=request.GET.get("public_reason", ""))], report.state.at)
    return render(request, "maintenance/control_room.html", {
        "title": "Maintenance control room", "report": data, "state": report.state,
        "capabilities": [(name, report.state.is_closed(name)) for name in sorted(ALL)],
        "presets": PRESETS, "can_operate": can_operate,
        "closure_groups": [{"title": _("On now"), "closures": data["closures"]},
                           {"title": _("Upcoming"), "closures": data["upcoming"]}],
        "preview": render_page(preview_state, request.LANGUAGE_CODE)})


PRESETS = {
    "full": {"level": "full", "modules": [], "label": "Full maintenance"},
    "readonly": {"level": "readonly", "modules": [], "label": "Read-only (no new orders or payments)"},
    "payments": {"level": "modules", "modules": ["payment"], "label": "Payments only (no new payments)"},
}


def _control(request, services) -> None:
    action = request.POST.get("action")
    actor = request.user
    if action == "preset":
        if request.POST.get("confirm") != "yes":
            raise MaintenanceError(_("Tick the confirmation box first."), code="not_confirmed")
        preset = PRESETS.get(request.POST.get("preset", ""))
        if preset is None:
            raise MaintenanceError(_("Unknown preset."), code="unknown_preset")
        services.turn_on(preset["level"], actor=actor, modules=preset["modules"],
                         public_reason=request.POST.get("public_reason", "")[:300],
                         reason=request.POST.get("reason", "")[:2000],
                         eta=services.parse_eta(request.POST.get("eta") or None))
        messages.success(request, _("Maintenance is on: %(label)s.") % {"label": preset["label"]})
    elif action == "off":
        services.turn_off(actor=actor)
        messages.success(request, _("Maintenance is off."))
    elif action == "end":
        closure_id = request.POST.get("closure", "")
        if not (closure_id.isascii() and closure_id.isdigit()):
            raise MaintenanceError(_("Unknown closure."), code="closure_not_found")
        services.end_closure(int(closure_id), actor=actor, note=request.POST.get("note", "")[:300])
        messages.success(request, _("Closure #%(id)s ended.") % {"id": closure_id})
    elif action == "progress":
        percent = parse_int(request.POST.get("percent", ""), max_digits=3)
        if percent is None:
            raise MaintenanceError(_("Progress is a percentage from 0 to 100."), code="bad_progress")
        services.report_progress(percent, actor=actor, note=request.POST.get("note", ""),
                                 step=request.POST.get("step", ""))
        messages.success(request, _("Progress updated."))
    else:
        raise MaintenanceError(_("Unknown action."), code="unknown_action")
