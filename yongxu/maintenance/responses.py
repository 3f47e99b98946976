"""What a closed capability answers: JSON for the API and for Accept: application/json, the
pre-rendered maintenance page for people, and for a form POST a page that says nothing was done and
gives the buyer back what they typed."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from yongxu.core.http import wants_json
from yongxu.maintenance import page
from yongxu.maintenance.state import State

SECRET_FIELDS = ("password", "csrfmiddlewaretoken", "card", "secret", "token")


def payload(state: State, capability: str) -> dict:
    return {"error": "maintenance", "message": state.public_reason or _("Part of the shop is paused for maintenance."),
            "capability": capability, "level": state.level,
            "public_reason": state.public_reason, "eta": state.eta.isoformat() if state.eta else None,
            "retry_after": state.retry_after(), "status_url": f"{settings.SITE_URL}/status/"}


def _kept_fields(request) -> list[tuple[str, str]]:
    return [(name, value) for name, value in request.POST.items()
            if not any(secret in name.lower() for secret in SECRET_FIELDS) and len(value) <= 2000][:30]


def closed(request, state: State, capability: str) -> HttpResponse:
    if request.method == "HEAD":
        return HttpResponse(status=503)
    if wants_json(request):
        return JsonResponse(payload(state, capability), status=503)
    language = translation.get_language() or settings.LANGUAGE_CODE
    if request.method == "POST":
        html = render_to_string("maintenance/post_refused.html", {
            "state": state, "capability": capability, "fields": _kept_fields(request), "action": request.path,
            "eta_iso": state.eta.isoformat() if state.eta else ""}, request=request)
        return HttpResponse(html, status=503)
    return HttpResponse(page.page_for(state, language), status=503)
