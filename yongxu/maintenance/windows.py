"""Planned maintenance windows: schedule, start, update, verify, complete, cancel; phases move by the
clock; a window that reaches its ETA unfinished runs late in the open (the ETA moves on by a set step
and an update says so) instead of silently reopening the shop.

Each window owns one Closure (source ``window:<id>``) that the gate already understands. Every change
writes a WindowUpdate (the public timeline), raises the iCalendar SEQUENCE, is audit-logged, and is
handed after commit to the handlers in ``settings.YONGXU_WINDOW_UPDATE_HANDLERS`` (notices, webhooks)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from yongxu.audit.services import actor_label, record
from yongxu.core import clock
from yongxu.maintenance import channel, services, sources
from yongxu.maintenance.models import ChecklistTemplate, Closure, MaintenanceWindow, Phase, WindowKind, WindowUpdate
from yongxu.maintenance.snapshot import gatekeeper
from yongxu.maintenance.state import LEVELS
from yongxu.outbox import services as outbox

Kind = WindowUpdate.Kind
DEFAULT_CHECKLISTS = {
    Phase.PREPARE: ["Tested on staging", "Backup taken", "Pending orders exported", "Notices sent",
                    "Compensation decided"],
    Phase.VERIFY: ["Readiness checks green", "A test purchase done"],
}
OPEN_PHASES = (Phase.PREPARE, Phase.EXECUTE, Phase.VERIFY)


class WindowError(services.MaintenanceError):
    code = "window_invalid"


def _checklists() -> dict:
    templates = {row.phase: row.item_list for row in ChecklistTemplate.objects.all()}
    return {phase: [{"item": item, "done": False} for item in templates.get(phase, DEFAULT_CHECKLISTS.get(phase, []))]
            for phase in (Phase.PREPARE, Phase.EXECUTE, Phase.VERIFY)}


def _announce(update: WindowUpdate) -> None:
    """Each handler in settings.YONGXU_WINDOW_UPDATE_HANDLERS hears of the update through the outbox, once
    the update is committed (an effect per update and handler)."""
    for path in settings.YONGXU_WINDOW_UPDATE_HANDLERS:
        import_string(path)  # a wrong path fails here, in the operator's transaction, not later in the worker
        outbox.add("maintenance.window_update", key=f"window-update:{update.pk}:{path}",
                   payload={"update": update.pk, "handler": path}, subject=f"window:{update.window_id}")


def handle_update_effect(effect) -> None:
    """The outbox's "maintenance.window_update": call one handler with the update's id."""
    import_string(effect.payload["handler"])(effect.payload["update"])


def _update(window: MaintenanceWindow, kind: str, *, actor, note: str = "", eta: datetime | None = None) -> WindowUpdate:
    window.sequence += 1
    window.save()
    update = WindowUpdate.objects.create(window=window, at=clock.now(), kind=kind, note=note[:500], eta=eta,
                                         actor=actor_label(actor))
    if window.closure_id:
        Closure.objects.filter(pk=window.closure_id).update(eta=window.eta, progress=_progress(window), steps=window.steps,
                                                            progress_note=note[:300] or window.closure.progress_note)
    channel.bump()
    gatekeeper.invalidate()
    record(f"window.{kind}", actor=actor, subject=window, data={"note": note, "eta": eta, "phase": window.phase})
    _announce(update)
    return update


def _progress(window: MaintenanceWindow) -> int:
    steps = window.steps or []
    return round(100 * sum(1 for step in steps if step["done"]) / len(steps)) if steps else 0


def _locked(window: MaintenanceWindow) -> MaintenanceWindow:
    return MaintenanceWindow.objects.select_for_update(of=("self",)).select_related("closure").get(pk=window.pk)


@transaction.atomic
def schedule_window(*, title: str, start: datetime, end: datetime, level: str, actor, modules=(), kind: str = "upgrade",
                    public_reason: str = "", description: str = "", steps=()) -> MaintenanceWindow:
    if not title.strip():
        raise WindowError(_("Give the window a title."), code="window_title")
    if level not in LEVELS:
        raise WindowError(_("Unknown level: %(level)s") % {"level": level}, code="unknown_level")
    if kind not in WindowKind.values:
        raise WindowError(_("Unknown kind: %(kind)s") % {"kind": kind}, code="unknown_kind")
    if end <= start:
        raise WindowError(_("The end must come after the start."), code="bad_window")
    if start < clock.now() - timedelta(minutes=1):
        raise WindowError(_("The start is in the past; use `maintenance on` for maintenance that starts now."),
                          code="start_in_past")
    window = MaintenanceWindow.objects.create(
        title=title.strip()[:200], description=description, kind=kind, level=level, capabilities=sorted(set(modules)),
        public_reason=public_reason, planned_start=start, planned_end=end, eta=end, created_by=actor_label(actor),
        steps=[{"name": name, "done": False} for name in steps if name], checklist=_checklists())
    window.closure = services.close_capabilities(
        modules, source=sources.compose(sources.WINDOW, window.pk), reason=f"planned window #{window.pk}: {title}",
        until=None, actor=actor,
        level=level, public_reason=public_reason or window.public_title, starts_at=start, eta=end,
        steps=[step["name"] for step in window.steps])
    _update(window, Kind.SCHEDULED, actor=actor, eta=end)
    return window


@transaction.atomic
def start_window(window: MaintenanceWindow, *, actor, note: str = "") -> MaintenanceWindow:
    """Start now (earlier than planned if need be)."""
    window = _locked(window)
    if window.phase != Phase.PREPARE:
        raise WindowError(_("Only a window that has not started can be started."), code="window_not_preparing")
    now = clock.now()
    if window.closure.starts_at > now:
        Closure.objects.filter(pk=window.closure_id).update(starts_at=now)
    window.phase, window.started_at = Phase.EXECUTE, now
    _update(window, Kind.STARTED, actor=actor, note=note)
    return window


@transaction.atomic
def update_window(window: MaintenanceWindow, *, actor, note: str = "", eta: datetime | None = None,
                  step: str = "") -> MaintenanceWindow:
    window = _locked(window)
    if window.phase not in OPEN_PHASES:
        raise WindowError(_("This window is over."), code="window_over")
    if eta is not None:
        if eta <= clock.now():
            raise WindowError(_("The new estimate must be in the future."), code="bad_eta")
        window.eta = eta
    if step:
        names = [item["name"] for item in window.steps]
        if step not in names:
            window.steps.append({"name": step, "done": False})
        window.steps = [{**item, "done": item["done"] or item["name"] == step} for item in window.steps]
    kind = Kind.ETA if eta is not None else Kind.PROGRESS if step else Kind.NOTE
    _update(window, kind, actor=actor, note=note or (step and _("Step done: %(step)s") % {"step": step}) or "", eta=eta)
    return window


@transaction.atomic
def verify_window(window: MaintenanceWindow, *, actor, note: str = "") -> MaintenanceWindow:
    """The work is done; staff (and bypass holders) check the shop before buyers come back."""
    window = _locked(window)
    if window.phase not in (Phase.EXECUTE, Phase.PREPARE) or window.closure.starts_at > clock.now():
        raise WindowError(_("Only a running window can be verified."), code="window_not_running")
    window.phase, window.verified_at = Phase.VERIFY, clock.now()
    _update(window, Kind.VERIFYING, actor=actor, note=note)
    return window


@transaction.atomic
def complete_window(window: MaintenanceWindow, *, actor, note: str = "") -> MaintenanceWindow:
    window = _locked(window)
    if window.phase not in OPEN_PHASES:
        raise WindowError(_("This window is over."), code="window_over")
    now = clock.now()
    Closure.objects.filter(pk=window.closure_id, ended_at__isnull=True).update(ended_at=now)
    window.phase, window.completed_at = Phase.DONE, now
    _update(window, Kind.COMPLETED, actor=actor, note=note)
    from yongxu.maintenance.tasks import reopened

    reopened(because=f"window:{window.pk}:completed")
    return window


@transaction.atomic
def cancel_window(window: MaintenanceWindow, *, actor, note: str = "") -> MaintenanceWindow:
    window = _locked(window)
    if window.phase not in OPEN_PHASES:
        raise WindowError(_("This window is over."), code="window_over")
    now = clock.now()
    Closure.objects.filter(pk=window.closure_id, ended_at__isnull=True).update(ended_at=now)
    window.phase, window.cancelled_at = Phase.CANCELLED, now
    _update(window, Kind.CANCELLED, actor=actor, note=note)
    return window


@transaction.atomic
def end_window(window: MaintenanceWindow, *, actor, note: str = "") -> MaintenanceWindow:
    """End a window from its closure (``yongxu maintenance end``, the API, the admin): cancelled if it
    has not started yet, completed otherwise, so its phase, timeline and notices say what happened."""
    window = _locked(window)
    if window.phase == Phase.PREPARE and window.closure and window.closure.starts_at > clock.now():
        return cancel_window(window, actor=actor, note=note)
    return complete_window(window, actor=actor, note=note)


def effective_phase(window: MaintenanceWindow, at: datetime) -> str:
    """The phase by the clock: a window still "preparing" past its start is executing."""
    if window.phase == Phase.PREPARE and window.closure and window.closure.starts_at <= at:
        return Phase.EXECUTE
    return window.phase


def advance_windows(*, late_step: timedelta | None = None) -> list[WindowUpdate]:
    """Run every minute (and safe to run anywhere): record windows that started by the clock, and move
    the ETA of those that reached it unfinished, telling everyone they are running late."""
    late_step = late_step or timedelta(minutes=settings.YONGXU_WINDOW_LATE_STEP_MINUTES)
    now = clock.now()
    updates = []
    for pk in MaintenanceWindow.objects.filter(phase__in=OPEN_PHASES).values_list("pk", flat=True):
        with transaction.atomic():
            window = _locked(MaintenanceWindow(pk=pk))
            if window.phase == Phase.PREPARE and window.closure and window.closure.starts_at <= now:
                window.phase, window.started_at = Phase.EXECUTE, window.closure.starts_at
                updates.append(_update(window, Kind.STARTED, actor="system:clock"))
            if window.phase in (Phase.EXECUTE, Phase.VERIFY) and window.eta <= now:
                while window.eta <= now:
                    window.eta += late_step
                window.late_count += 1
                updates.append(_update(window, Kind.LATE, actor="system:clock", eta=window.eta,
                                       note=_("Running late: we now expect to be back by the new estimate.")))
    return updates
