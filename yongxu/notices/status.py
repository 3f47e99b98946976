"""What the status page and /status.json show: each capability's state now (from the gate's in-process
snapshot, no query), the windows with their timelines and 90 days of history per capability (from the
database, cached under the maintenance version and the day, so it is rebuilt on every change)."""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Q
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yongxu.core import clock
from yongxu.maintenance import sources
from yongxu.maintenance.models import Closure, MaintenanceWindow, Phase
from yongxu.maintenance.snapshot import current_state
from yongxu.maintenance.state import SYNC, ClosureView, State
from yongxu.notices.describe import affects, capability_label

PUBLIC_CAPABILITIES = ("browse", "checkout", "payment", "delivery", "lookup", "support", "accounts", "api")
OPERATIONAL, DEGRADED, MAINTENANCE, OUTAGE = "operational", "degraded", sources.MAINTENANCE, sources.OUTAGE
SEVERITY = {OPERATIONAL: 0, DEGRADED: 1, MAINTENANCE: 2, OUTAGE: 3}
LABELS = {OPERATIONAL: _("Operational"), DEGRADED: _("Degraded"), MAINTENANCE: _("Maintenance"), OUTAGE: _("Outage")}
HISTORY_DAYS = 90
RECENT_WINDOW_DAYS = 7
STALE_WHEN_SYNC_PAUSED = frozenset({"browse", "delivery", "api"})


def _kind(closure: ClosureView) -> str:
    return sources.entry(closure.source).status  # sources.MAINTENANCE or sources.OUTAGE


def capability_states(state: State) -> dict[str, str]:
    states = {}
    for name in PUBLIC_CAPABILITIES:
        worst = OPERATIONAL
        for closure in state.active:
            if name in closure.closes and SEVERITY[_kind(closure)] > SEVERITY[worst]:
                worst = _kind(closure)
            elif worst == OPERATIONAL and (
                    (name == "payment" and any(c.startswith("payment:") for c in closure.closes))
                    or (closure.level == SYNC and name in STALE_WHEN_SYNC_PAUSED)):
                worst = DEGRADED
        states[name] = worst
    return states


def _view(row: Closure) -> ClosureView:
    return ClosureView(id=row.pk, source=row.source, level=row.level, capabilities=frozenset(row.capabilities or ()),
                       starts_at=row.starts_at, ends_at=row.ends_at, ended_at=row.ended_at)


def history(now: datetime, days: int = HISTORY_DAYS) -> dict[str, list[dict]]:
    """{capability: [{date, state, minutes}] oldest first}: each UTC day's worst state and minutes closed."""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    since = today - timedelta(days=days - 1)
    rows = Closure.objects.filter(starts_at__lt=now).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=since)).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=since))
    closures = [view for view in map(_view, rows) if view.stops_at is None or view.stops_at > view.starts_at]
    result = {}
    for name in PUBLIC_CAPABILITIES:
        bars = []
        for offset in range(days):
            start = since + timedelta(days=offset)
            end = min(start + timedelta(days=1), now)
            worst, minutes = OPERATIONAL, 0
            for closure in closures:
                if name not in closure.closes:
                    continue
                overlap = (min(end, closure.stops_at or end) - max(start, closure.starts_at)).total_seconds()
                if overlap > 0:
                    minutes += int(overlap // 60)
                    worst = max(worst, _kind(closure), key=SEVERITY.get)
            bars.append({"date": start.date().isoformat(), "state": worst, "minutes": minutes})
        result[name] = bars
    return result


def uptime(bars: list[dict]) -> float:
    """Percent of the period open (maintenance and outages both count as closed)."""
    total = len(bars) * 24 * 60
    return round(100 * (total - sum(bar["minutes"] for bar in bars)) / total, 2) if total else 100.0


def windows(now: datetime) -> list[dict]:
    recent = now - timedelta(days=RECENT_WINDOW_DAYS)
    rows = (MaintenanceWindow.objects.filter(Q(phase__in=[Phase.PREPARE, Phase.EXECUTE, Phase.VERIFY])
                                             | Q(completed_at__gte=recent) | Q(cancelled_at__gte=recent))
            .select_related("closure").prefetch_related("updates").order_by("planned_start", "pk"))
    result = []
    for window in rows:
        phase = window.phase
        if phase == Phase.PREPARE and window.planned_start <= now:
            phase = Phase.EXECUTE
        result.append({
            "id": window.pk, "title": window.public_title, "kind": window.kind,
            "description": "" if window.kind == "security" else window.description,
            "level": window.level, "capabilities": list(window.capabilities or ()), "phase": phase,
            "phase_label": str(Phase(phase).label), "planned_start": window.planned_start.isoformat(),
            "planned_end": window.planned_end.isoformat(), "eta": window.eta.isoformat(), "sequence": window.sequence,
            "steps": list(window.steps or ()),
            "updates": [{"at": update.at.isoformat(), "kind": update.kind, "label": str(update.get_kind_display()),
                         "note": update.note, "eta": update.eta.isoformat() if update.eta else None}
                        for update in reversed(list(window.updates.all()))]})
    return result


def closures(now: datetime, days: int = RECENT_WINDOW_DAYS) -> list[dict]:
    """The closures no planned window owns (manual switches, protections, breakers…) that are on, to
    come, or ended in the last ``days``, each described only through its source's entry; oldest first.
    ``cancelled``: ended before it began. Whether one is on is decided when it is read."""
    since = now - timedelta(days=days)
    rows = (Closure.objects.filter(window__isnull=True).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since))
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gte=since)).order_by("starts_at", "pk"))
    result = []
    for row in rows:
        source, stops = sources.entry(row.source), _view(row).stops_at
        eta = row.eta or row.ends_at
        result.append({
            "id": row.pk, "source": sources.split(row.source)[0], "title": source.describe(row), "kind": source.status,
            "kind_label": str(LABELS[source.status]), "level": row.level, "capabilities": sorted(row.capabilities or ()),
            "affects": affects(row), "starts_at": row.starts_at.isoformat(), "ends_at": stops.isoformat() if stops else None,
            "eta": eta.isoformat() if eta else None, "cancelled": stops is not None and stops <= row.starts_at})
    return result


def _key(now: datetime, version: int) -> str:
    return f"notices:status:{version}:{now:%Y-%m-%d}:{get_language()}"  # labels are translated


def _stored(now: datetime, version: int) -> dict:
    """Windows and history: cached per maintenance version and day (any change bumps the version)."""
    key = _key(now, version)
    data = cache.get(key)
    if data is None:
        data = {"windows": windows(now), "history": history(now), "closures": closures(now)}
        cache.set(key, data, 3600)
    return data


def rebuild(version: int) -> None:
    """Build and cache the stored part for every language (called when the maintenance version moves)."""
    from django.conf import settings

    now = clock.now()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            cache.set(_key(now, version), {"windows": windows(now), "history": history(now), "closures": closures(now)},
                      3600)


def snapshot(state: State | None = None) -> dict:
    """Everything the status page shows (JSON-ready apart from nothing)."""
    state = state or current_state()
    now = clock.now()
    stored = _stored(now, state.version)
    states = capability_states(state)
    # Windows move between phases by the clock alone: decide "active" or "upcoming" at read time.
    active = [w for w in stored["windows"] if w["phase"] in (Phase.EXECUTE, Phase.VERIFY)
              or (w["phase"] == Phase.PREPARE and w["planned_start"] <= now.isoformat())]
    upcoming = [w for w in stored["windows"] if w["phase"] == Phase.PREPARE and w not in active]
    past = [w for w in stored["windows"] if w["phase"] in (Phase.DONE, Phase.CANCELLED)]
    shown = [c for c in stored["closures"] if not c["cancelled"]]
    closures_ahead = [c for c in shown if datetime.fromisoformat(c["starts_at"]) > now]
    closures_past = [c for c in shown if c["ends_at"] is not None and datetime.fromisoformat(c["ends_at"]) <= now]
    closures_on = [c for c in shown if c not in closures_ahead and c not in closures_past]
    overall = max(states.values(), key=SEVERITY.get, default=OPERATIONAL)
    return {
        "overall": overall, "overall_label": str(LABELS[overall]),
        "capabilities": [{"name": name, "label": capability_label(name), "state": states[name],
                          "state_label": str(LABELS[states[name]]), "uptime": uptime(stored["history"][name]),
                          "history": stored["history"][name]} for name in PUBLIC_CAPABILITIES],
        "active_windows": active, "upcoming_windows": upcoming, "past_windows": past,
        "active_closures": closures_on, "upcoming_closures": closures_ahead,
        "past_closures": [{**c, "over": True} for c in closures_past[::-1]],
    }
