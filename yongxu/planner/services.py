"""Planner use cases: import history, aggregate the shop's orders, forecast, advise, backtest, schedule."""

from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction

from yongxu.core import clock
from yongxu.maintenance import services as maintenance
from yongxu.planner import advisor, backtest, forecast
from yongxu.planner.errors import BadAdviceRequest
from yongxu.planner.history import aggregate_orders, load_history, shop_zone
from yongxu.planner.importer import ImportResult, ImportSpec, Progress, import_file
from yongxu.planner.models import Promotion, SpecialDate

ADVISOR_SOURCE = "window:advisor"
__all__ = ["aggregate_orders", "import_traffic", "forecast_traffic", "advise_window", "backtest_advisor", "schedule_window"]


def import_traffic(path: Path, spec: ImportSpec, *, progress: Progress | None = None) -> ImportResult:
    """Load an older shop's history; one transaction; the same file twice changes nothing."""
    return import_file(path, spec, **({"progress": progress} if progress else {}))


def calendar_events() -> list[forecast.Event]:
    events = [
        forecast.Event(p.name, p.starts_at, p.ends_at, float(p.expected_uplift), "promotion") for p in Promotion.objects.all()
    ]
    events += [
        forecast.Event(s.name, s.starts_at, s.ends_at, float(s.expected_surge), "special") for s in SpecialDate.objects.all()
    ]
    return events


def fit_model(*, as_of: datetime | None = None, zone: str | None = None) -> forecast.Model:
    as_of = as_of or clock.now()
    zone = zone or shop_zone()
    advisor.zone_info(zone)
    return forecast.fit(load_history(before=as_of), as_of=as_of, zone=zone, events=calendar_events())


def forecast_traffic(
    *, as_of: datetime | None = None, horizon: timedelta = timedelta(days=7)
) -> tuple[forecast.Model, forecast.Forecast]:
    model = fit_model(as_of=as_of)
    slots = max(int(horizon.total_seconds() // 900), 1)
    return model, forecast.predict(model, model.as_of, slots)


def parse_duration(text: str) -> timedelta:
    """90m, 2h, 1h30m, 14d."""
    import re

    match = re.fullmatch(r"\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*", text or "")
    if not text or not match or not any(match.groups()):
        raise BadAdviceRequest(f"not a duration: {text!r} (use e.g. 90m, 2h, 14d)")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def parse_staff_hours(text: str) -> tuple[time, time]:
    try:
        begin, finish = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as exc:
        raise BadAdviceRequest(f"not staff hours: {text!r} (use e.g. 09:00-23:00)") from exc
    if begin == finish:
        raise BadAdviceRequest(f"staff hours {text!r} are empty")
    return begin, finish


def advise_window(request: advisor.Request) -> advisor.Advice:
    """Rank maintenance windows by what they would cost, with only the history before ``request.as_of``."""
    advisor.check(request)
    as_of = request.as_of or clock.now()
    model = fit_model(as_of=as_of)
    from dataclasses import replace

    return advisor.advise(model, replace(request, as_of=as_of))


def backtest_advisor(*, duration: timedelta, weeks: int) -> backtest.Backtest:
    if weeks < 1:
        raise BadAdviceRequest("--weeks must be at least 1")
    zone = shop_zone()
    return backtest.run(load_history(), zone=zone, duration=duration, weeks=weeks, events=calendar_events())


@transaction.atomic
def schedule_window(
    *, starts_at: datetime, duration: timedelta, level: str, modules=(), actor, reason: str = "", public_reason: str = ""
):
    """Make a recommended window a scheduled one: a closure that opens and closes by the clock (audit-logged
    by the maintenance service)."""
    if starts_at <= clock.now():
        raise BadAdviceRequest("that window has already started; ask for a fresh advice")
    ends_at = starts_at + duration
    return maintenance.close_capabilities(
        list(modules),
        source=ADVISOR_SOURCE,
        reason=reason or "scheduled from the window advisor",
        until=ends_at,
        actor=actor,
        level=level,
        public_reason=public_reason,
        starts_at=starts_at,
        eta=ends_at,
    )
