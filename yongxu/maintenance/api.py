"""GET/POST /api/v1/maintenance (and its windows and closures) for pipelines, authorised by an operator
token (Bearer)."""

import hashlib
import hmac
from datetime import datetime

from django.conf import settings
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from yongxu.core import clock
from yongxu.core.apierrors import errors
from yongxu.maintenance import bypass, services
from yongxu.maintenance.models import OperatorToken


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class OperatorBearer(HttpBearer):
    def authenticate(self, request, token: str):
        if settings.YONGXU_OPERATOR_TOKEN and hmac.compare_digest(token, settings.YONGXU_OPERATOR_TOKEN):
            return "token:environment"
        row = OperatorToken.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True).first()
        if row is None:
            return None
        OperatorToken.objects.filter(pk=row.pk).update(last_used_at=clock.now())
        return f"token:{row.name}"


router = Router(tags=["maintenance"], auth=OperatorBearer())


class MaintenanceIn(Schema):
    action: str = Field(description="on | off | progress")
    level: str = "full"
    modules: list[str] = []
    reason: str = Field("", max_length=2000)
    public_reason: str = Field("", max_length=300)
    eta: str | None = Field(None, description="ISO 8601 or relative like +90m")
    secret: bool = False
    percent: int | None = None
    note: str = Field("", max_length=300)
    step: str = Field("", max_length=100)


class MaintenanceOut(Schema):
    in_maintenance: bool
    level: str
    closed: list[str]
    public_reason: str
    eta: datetime | None
    progress: int
    version: int
    bypass_url: str | None = None
    detail: dict


def _out(bypass_url: str | None = None) -> MaintenanceOut:
    data = services.report().as_dict()
    return MaintenanceOut(in_maintenance=data["in_maintenance"], level=data["level"], closed=data["closed"],
                          public_reason=data["public_reason"], eta=data["eta"], progress=data["progress"],
                          version=data["version"], bypass_url=bypass_url, detail=data)


@router.get("", response={200: MaintenanceOut, **errors(401)})
def get_maintenance(request):
    return _out()


@router.post("", response={200: MaintenanceOut, **errors(401, 409, 422)})
def change_maintenance(request, payload: MaintenanceIn):
    actor = request.auth
    if payload.action == "on":
        closure = services.turn_on(payload.level, actor=actor, modules=payload.modules, reason=payload.reason,
                                   public_reason=payload.public_reason, eta=services.parse_eta(payload.eta),
                                   secret="" if payload.secret else None)
        return _out(bypass.link(closure))
    if payload.action == "off":
        services.turn_off(actor=actor)
        return _out()
    if payload.action == "progress":
        services.report_progress(payload.percent or 0, actor=actor, note=payload.note, step=payload.step)
        return _out()
    raise services.MaintenanceError("action must be on, off or progress", code="unknown_action")


class EndIn(Schema):
    note: str = Field("", max_length=300, description="Why (audit log; a planned window's timeline).")


@router.post("/closures/{closure_id}/end", response={200: MaintenanceOut, **errors(401, 404, 409, 422)})
def end_closure(request, closure_id: int, payload: EndIn | None = None):
    """End one closure of any source (ids in ``detail.closures`` and ``detail.upcoming``): a planned
    window is completed, or cancelled if it has not started. 404 for an unknown id, 409 if it is over."""
    services.end_closure(closure_id, actor=request.auth, note=payload.note if payload else "")
    return _out()


class WindowIn(Schema):
    title: str = Field(max_length=200)
    start: str = Field(description="ISO 8601 or relative like +2h")
    duration: str = Field(description="e.g. 90m, 2h")
    level: str = "full"
    modules: list[str] = []
    kind: str = "upgrade"
    public_reason: str = Field("", max_length=300)
    description: str = Field("", max_length=5000)
    steps: list[str] = []


class WindowActionIn(Schema):
    note: str = Field("", max_length=500)
    eta: str | None = None
    step: str = Field("", max_length=100)


class WindowOut(Schema):
    id: int
    title: str
    phase: str
    level: str
    planned_start: datetime
    planned_end: datetime
    eta: datetime
    sequence: int
    steps: list[dict]


def _window_out(window) -> WindowOut:
    return WindowOut(id=window.pk, title=window.title, phase=window.phase, level=window.level,
                     planned_start=window.planned_start, planned_end=window.planned_end, eta=window.eta,
                     sequence=window.sequence, steps=window.steps)


@router.post("/windows", response={201: WindowOut, **errors(401, 409, 422)})
def schedule(request, payload: WindowIn):
    from yongxu.maintenance.window_cli import parse_duration
    from yongxu.maintenance.windows import schedule_window

    start = services.parse_eta(payload.start)
    if start is None:
        raise services.MaintenanceError("start is required", code="bad_window")
    window = schedule_window(title=payload.title, start=start, end=start + parse_duration(payload.duration),
                             level=payload.level, modules=payload.modules, kind=payload.kind,
                             public_reason=payload.public_reason, description=payload.description, steps=payload.steps,
                             actor=request.auth)
    return Status(201, _window_out(window))


@router.post("/windows/{window_id}/{action}", response={200: WindowOut, **errors(401, 404, 409, 422)})
def act_on_window(request, window_id: int, action: str, payload: WindowActionIn):
    from django.http import Http404

    from yongxu.maintenance import windows
    from yongxu.maintenance.models import MaintenanceWindow

    window = MaintenanceWindow.objects.filter(pk=window_id).first()
    if window is None:
        raise Http404
    if action == "update":
        window = windows.update_window(window, actor=request.auth, note=payload.note,
                                       eta=services.parse_eta(payload.eta), step=payload.step)
    elif action in ("start", "verify", "complete", "cancel"):
        window = getattr(windows, f"{action}_window")(window, actor=request.auth, note=payload.note)
    else:
        raise services.MaintenanceError("action must be start, update, verify, complete or cancel", code="unknown_action")
    return _window_out(window)
