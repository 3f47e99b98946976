"""GET/POST /api/v1/maintenance for pipelines, authorised by an operator token (Bearer)."""

import hashlib
import hmac
from datetime import datetime

from django.conf import settings
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from yongxu.core import clock
from yongxu.maintenance import services
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


@router.get("", response=MaintenanceOut)
def get_maintenance(request):
    return _out()


@router.post("", response=MaintenanceOut)
def change_maintenance(request, payload: MaintenanceIn):
    actor = request.auth
    if payload.action == "on":
        closure = services.turn_on(payload.level, actor=actor, modules=payload.modules, reason=payload.reason,
                                   public_reason=payload.public_reason, eta=services.parse_eta(payload.eta),
                                   secret="" if payload.secret else None)
        return _out(f"{settings.SITE_URL}/maintenance/bypass/{closure.secret_id}/" if closure.secret_id else None)
    if payload.action == "off":
        services.turn_off(actor=actor)
        return _out()
    if payload.action == "progress":
        services.report_progress(payload.percent or 0, actor=actor, note=payload.note, step=payload.step)
        return _out()
    raise services.MaintenanceError("action must be on, off or progress", code="unknown_action")
