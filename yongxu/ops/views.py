from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.shortcuts import render

from yongxu.ops import dashboard, services


def healthz(request):
    """The process is alive. Touches nothing else."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    checks = services.readiness()
    failing = [check.name for check in checks if check.ok is False]
    body = {"status": "ok" if not failing else "unavailable", "failing": failing,
            "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks}}
    return JsonResponse(body, status=200 if not failing else 503)


@staff_member_required
def dashboard_page(request):
    return render(request, "ops/dashboard.html", {"title": "Dashboard", **dashboard.figures()})
