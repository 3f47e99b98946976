"""The advisor in the admin: the ranking, a "schedule this window" button and the heatmaps."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yongxu.core.errors import DomainError
from yongxu.core.numbers import parse_int
from yongxu.planner import heatmap, services
from yongxu.planner.advisor import Request
from yongxu.planner.geo import zone_of_country


@staff_member_required
def advisor_page(request):
    if request.method == "POST":
        if not request.user.has_perm("maintenance.operate"):
            raise PermissionDenied
        try:
            minutes = parse_int(request.POST["minutes"], max_digits=5)
            if not minutes:
                raise ValueError(f"{request.POST['minutes']!r} is not a number of minutes")
            window = services.schedule_window(
                starts_at=datetime.fromisoformat(request.POST["starts_at"]),
                duration=timedelta(minutes=minutes),
                level=request.POST.get("level", "full"),
                modules=[m for m in request.POST.get("modules", "").split(",") if m],
                title=request.POST.get("title", "")[:200],
                actor=request.user,
            )
        except (DomainError, KeyError, ValueError) as error:
            messages.error(request, getattr(error, "message", f"Not a window: {error}"))
            return redirect("planner-advisor")
        messages.success(request, _("Scheduled window #%(id)s “%(title)s”: %(level)s from %(start)s UTC to %(end)s UTC.") % {
            "id": window.pk, "title": window.title, "level": window.level,
            "start": f"{window.planned_start:%Y-%m-%d %H:%M}", "end": f"{window.planned_end:%H:%M}"})
        return redirect("admin:maintenance_maintenancewindow_change", window.pk)
    params = {
        "duration": request.GET.get("duration", "2h"),
        "level": request.GET.get("level", "full"),
        "modules": request.GET.get("modules", ""),
        "within": request.GET.get("within", "14d"),
        "staff_hours": request.GET.get("staff_hours", ""),
        "staff_tz": request.GET.get("staff_tz", ""),
        "buyer_zone": request.GET.get("buyer_zone", ""),
    }
    context = {
        "title": "Maintenance window advisor",
        "params": params,
        "can_operate": request.user.has_perm("maintenance.operate"),
    }
    try:
        advice_request = Request(
            duration=services.parse_duration(params["duration"]),
            level=params["level"],
            modules=tuple(m for m in params["modules"].split(",") if m),
            within=services.parse_duration(params["within"]),
            staff_hours=services.parse_staff_hours(params["staff_hours"]) if params["staff_hours"] else None,
            staff_tz=params["staff_tz"],
        )
        advice = services.advise_window(advice_request)
        model = services.fit_model()
        buyer_zone = params["buyer_zone"] or _top_buyer_zone(model) or model.zone
        services.advisor.zone_info(buyer_zone)
        context.update(
            advice=advice,
            minutes=int(advice_request.duration.total_seconds() // 60),
            buyer_zone=buyer_zone,
            shop_map=(
                heatmap.render_svg(
                    model,
                    zone=model.zone,
                    proposals=advice.ranking,
                    title=f"Shop zone {model.zone}",
                )
            ),
            buyer_map=(
                heatmap.render_svg(
                    model,
                    zone=buyer_zone,
                    proposals=advice.ranking,
                    title=f"Buyer zone {buyer_zone}",
                )
            ),
        )
    except DomainError as error:
        context["error"] = error.message
    try:
        context["warnings"] = services.maintenance_warnings(record=False)
    except DomainError as error:
        context["warnings_error"] = error.message
    return render(request, "planner/advisor.html", context)


@staff_member_required
def window_traffic_page(request, pk: int):
    """A finished window's own traffic: forecast against what really happened."""
    from django.shortcuts import get_object_or_404

    from yongxu.maintenance.models import MaintenanceWindow

    window = get_object_or_404(MaintenanceWindow, pk=pk)
    context = {"title": f"Traffic of window “{window.title}”", "window": window}
    try:
        context["result"] = services.window_aftermath(window)
    except DomainError as error:
        context["error"] = error.message
    return render(request, "planner/window_traffic.html", context)


def _top_buyer_zone(model) -> str | None:
    foreign = [code for code, _ in sorted(model.gmv_share.items(), key=lambda kv: -kv[1]) if zone_of_country(code) != model.zone]
    return zone_of_country(foreign[0]) if foreign else None
