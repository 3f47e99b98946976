"""Maintenance use cases: close capabilities, switch maintenance on and off, report progress.

Each change is one transaction with its audit entry; the version stamp is bumped in it and
announced on commit, and this process's gate refreshes at once."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yongxu.audit.services import record
from yongxu.core import clock
from yongxu.core.capabilities import NEVER_CLOSED, is_capability
from yongxu.core.errors import DomainError
from yongxu.core.numbers import parse_duration
from yongxu.maintenance import channel, sources
from yongxu.maintenance.models import Closure
from yongxu.maintenance.snapshot import gatekeeper, load_closures
from yongxu.maintenance.state import LEVELS, MODULES, State, effective_state

MANUAL = sources.MANUAL


class MaintenanceError(DomainError):
    code = "maintenance_invalid"


class NotInMaintenance(MaintenanceError):
    code = "not_in_maintenance"
    status = 409
    message = _("No maintenance is on.")


class ClosureNotFound(MaintenanceError):
    code = "closure_not_found"
    status = 404


class ClosureOver(MaintenanceError):
    code = "closure_over"
    status = 409


def _changed() -> None:
    channel.bump()
    gatekeeper.invalidate()
    transaction.on_commit(gatekeeper.invalidate)


def _check_capabilities(capabilities) -> list[str]:
    names = sorted({name.strip() for name in capabilities if name and name.strip()})
    unknown = [name for name in names if not is_capability(name)]
    if unknown:
        raise MaintenanceError(_("Unknown capabilities: %(names)s") % {"names": ", ".join(unknown)},
                               code="unknown_capability")
    never = [name for name in names if name in NEVER_CLOSED]
    if never:
        raise MaintenanceError(_("These are never closed: %(names)s") % {"names": ", ".join(never)},
                               code="never_closed")
    return names


def parse_eta(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """ISO 8601 (with a zone, or UTC) or relative: +90m, +2h, +1d, +45s."""
    if not text:
        return None
    now = now or clock.now()
    text = text.strip()
    relative = parse_duration(text[1:]) if text.startswith("+") else None
    if relative is not None:
        return now + relative
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise MaintenanceError(_("Not a time: %(text)s (use ISO 8601 or +90m)") % {"text": text}, code="bad_eta") from exc
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment


@transaction.atomic
def close_capabilities(capabilities, *, source: str, reason: str, until: datetime | None, actor,
                       level: str = MODULES, public_reason: str = "", starts_at: datetime | None = None,
                       eta: datetime | None = None, steps: list[str] | None = None, with_secret: str | None = None) -> Closure:
    """Close capabilities for a source (manual, a window, a protection) from ``starts_at`` (default now)
    until ``until`` (None: until switched off). The entry point every source uses; the source must be
    registered in ``sources`` (it is how every page describes the closure and how it is ended)."""
    if not sources.is_valid(source):
        raise MaintenanceError(_("Unknown closure source: %(source)s") % {"source": source}, code="unknown_source")
    if level not in LEVELS:
        raise MaintenanceError(_("Unknown level: %(level)s") % {"level": level}, code="unknown_level")
    names = _check_capabilities(capabilities)
    if level == MODULES and not names:
        raise MaintenanceError(_("Name the capabilities to close."), code="no_capabilities")
    starts_at = starts_at or clock.now()
    if until is not None and until <= starts_at:
        raise MaintenanceError(_("The end must come after the start."), code="bad_window")
    closure = Closure.objects.create(
        source=source, level=level, capabilities=names, reason=reason, public_reason=public_reason,
        starts_at=starts_at, ends_at=until, eta=eta, created_by=str(actor),
        steps=[{"name": name, "done": False} for name in (steps or [])],
        secret_id=(with_secret or secrets.token_urlsafe(18)) if with_secret is not None else "")
    _changed()
    record("maintenance.closed", actor=actor, subject=closure,
           data={"source": source, "level": level, "capabilities": names, "until": until, "eta": eta, "reason": reason})
    return closure


def turn_on(level: str, *, actor, modules=(), reason: str = "", public_reason: str = "", eta: datetime | None = None,
            secret: str | None = None) -> Closure:
    """The manual switch: replaces any manual closure still on."""
    with transaction.atomic():
        _end(source=MANUAL, actor=actor)
        return close_capabilities(modules, source=MANUAL, reason=reason, until=None, actor=actor, level=level,
                                  public_reason=public_reason, eta=eta, with_secret=secret)


def _end(*, source: str, actor, closure_ids: list[int] | None = None, note: str = "") -> list[int]:
    now = clock.now()
    rows = Closure.objects.filter(source=source, ended_at__isnull=True).exclude(ends_at__lte=now)
    rows = rows.filter(pk__in=closure_ids) if closure_ids is not None else rows.filter(starts_at__lte=now)
    ended = list(rows.values_list("pk", flat=True))
    # Conditional: of two operators ending the same closure at once, one ends it.
    count = Closure.objects.filter(pk__in=ended, ended_at__isnull=True).update(ended_at=now) if ended else 0
    if count:
        _changed()
        record("maintenance.opened", actor=actor,
               data={"source": source, "closures": ended, **({"note": note[:300]} if note else {})})
    return ended if count else []


@transaction.atomic
def turn_off(*, actor, source: str = MANUAL, closure_ids: list[int] | None = None, note: str = "") -> int:
    """End the closures of ``source`` that are on now (given ``closure_ids``: those of them, on now or
    still to come); returns how many."""
    ended = _end(source=source, actor=actor, closure_ids=closure_ids, note=note)
    if ended:
        from yongxu.maintenance.tasks import reopened

        reopened(because="closures:" + ",".join(map(str, ended)))
    return len(ended)


@transaction.atomic
def end_closure(closure_id: int, *, actor, note: str = "") -> Closure:
    """End one closure, of any source, the way its source ends it (a planned window is completed, or
    cancelled if it has not started, through ``windows``; anything else is switched off on its own).
    Audit-logged with ``actor``. Refuses an unknown id and a closure that is already over."""
    closure = Closure.objects.filter(pk=closure_id).first()
    if closure is None:
        raise ClosureNotFound(_("No closure #%(id)s.") % {"id": closure_id})
    now = clock.now()
    if closure.ended_at is not None or (closure.ends_at is not None and closure.ends_at <= now):
        raise ClosureOver(_("Closure #%(id)s has already ended.") % {"id": closure_id})
    source = sources.entry(closure.source)
    if source.ender is not None:
        source.ender(closure, actor=actor, note=note)
    elif not turn_off(actor=actor, source=closure.source, closure_ids=[closure.pk], note=note):
        raise ClosureOver(_("Closure #%(id)s has already ended.") % {"id": closure_id})
    closure.refresh_from_db()
    return closure


@transaction.atomic
def republish_page(*, actor, what: str) -> None:
    """What the maintenance page says beyond the state changed (its text, the shop's name, brand or
    contacts): every node renders and writes its pages again, as on a change of state."""
    _changed()
    record("maintenance.page_changed", actor=actor, data={"what": what})


@transaction.atomic
def report_progress(percent: int, *, actor, note: str = "", step: str = "", source: str = MANUAL) -> Closure:
    if not 0 <= percent <= 100:
        raise MaintenanceError(_("Progress is a percentage from 0 to 100."), code="bad_progress")
    closure = (Closure.objects.select_for_update().filter(source=source, ended_at__isnull=True, starts_at__lte=clock.now())
               .order_by("-starts_at").first())
    if closure is None:
        raise NotInMaintenance()
    steps = list(closure.steps or [])
    if step:
        names = [item["name"] for item in steps]
        if step not in names:
            steps.append({"name": step, "done": False})
        steps = [{**item, "done": item["done"] or item["name"] == step} for item in steps]
    closure.progress, closure.progress_note, closure.steps = percent, note[:300], steps
    closure.save(update_fields=["progress", "progress_note", "steps"])
    _changed()
    record("maintenance.progress", actor=actor, subject=closure, data={"percent": percent, "note": note, "step": step})
    return closure


@transaction.atomic
def rotate_secret(closure: Closure, *, actor) -> Closure:
    closure.secret_id = secrets.token_urlsafe(18)
    closure.save(update_fields=["secret_id"])
    _changed()
    record("maintenance.secret_rotated", actor=actor, subject=closure, data={})
    return closure


@dataclass(frozen=True)
class Report:
    state: State

    def as_dict(self) -> dict:
        state = self.state
        return {
            "in_maintenance": state.in_maintenance, "level": state.level, "closed": sorted(state.closed),
            "public_reason": state.public_reason, "eta": state.eta.isoformat() if state.eta else None,
            "progress": state.progress, "progress_note": state.progress_note, "steps": list(state.steps),
            "sync_paused": state.sync_paused, "version": state.version,
            "closures": [{**_closure(c), "capabilities": sorted(c.capabilities)} for c in state.active],
            "upcoming": [_closure(c) for c in state.upcoming],
        }


def _closure(c) -> dict:
    source = sources.entry(c.source)
    return {"id": c.id, "source": c.source, "source_label": str(source.label), "title": source.describe(c),
            "level": c.level, "starts_at": c.starts_at.isoformat(), "ends_at": c.ends_at.isoformat() if c.ends_at else None,
            "public_reason": c.public_reason}


def report() -> Report:
    """The state read straight from the database (for the CLI, the API and the control room)."""
    now = clock.now()
    return Report(effective_state(load_closures(now), now, version=channel.database_version()))
