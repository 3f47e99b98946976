"""Planner use cases: import history, aggregate the shop's orders, forecast, advise, backtest, schedule."""

from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from yongxu.core import clock, numbers
from yongxu.planner import accuracy, advisor, backtest, forecast, predictive
from yongxu.planner.errors import BadAdviceRequest
from yongxu.planner.history import aggregate_orders, load_history, shop_zone
from yongxu.planner.importer import ImportResult, ImportSpec, Progress, import_file
from yongxu.planner.models import DatabaseSize, Promotion, SpecialDate

__all__ = ["aggregate_orders", "import_traffic", "forecast_traffic", "advise_window", "backtest_advisor", "forecast_accuracy",
           "schedule_window"]


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
    duration = numbers.parse_duration(text, seconds=False)
    if duration is None:
        raise BadAdviceRequest(f"not a duration: {text!r} (use e.g. 90m, 2h, 14d)")
    return duration


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


def backtest_advisor(
    *, duration: timedelta, weeks: int, staff_hours: tuple[time, time] | None = None, staff_tz: str = ""
) -> backtest.Backtest:
    if weeks < 1:
        raise BadAdviceRequest("--weeks must be at least 1")
    advisor.check(advisor.Request(duration=duration, staff_hours=staff_hours, staff_tz=staff_tz))
    zone = shop_zone()
    return backtest.run(load_history(), zone=zone, duration=duration, weeks=weeks, events=calendar_events(),
                        staff_hours=staff_hours, staff_tz=staff_tz)


def database_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return int(pages * cursor.fetchone()[0])


def record_database_size(*, now: datetime | None = None) -> DatabaseSize:
    import shutil

    return DatabaseSize.objects.create(taken_at=now or clock.now(), db_bytes=database_bytes(),
                                       free_bytes=shutil.disk_usage(settings.VAR_DIR).free)


def maintenance_warnings(*, now: datetime | None = None, record: bool = True, window: timedelta = timedelta(hours=1),
                         free_bytes: int | None = None) -> list[predictive.Alert]:
    """Every predictive-maintenance warning, soonest first, each with the best window before its crossing."""
    from django.db.models import Sum

    from yongxu.catalog.models import DeliveryMode, Product
    from yongxu.inventory.services import stock_counts
    from yongxu.orders.models import PAID_STATUSES, Order
    from yongxu.payments.models import Payment

    now = now or clock.now()
    events = calendar_events()
    products = list(Product.objects.filter(delivery_mode=DeliveryMode.AUTO, reusable_key_encrypted=""))
    sold = dict(Order.objects.filter(status__in=PAID_STATUSES, created_at__gte=now - timedelta(days=28), created_at__lt=now)
                .values("product_id").annotate(n=Sum("quantity")).values_list("product_id", "n"))
    alerts = predictive.stock_alerts(products, stock_counts(products), sold, now, events)
    rows = Payment.objects.filter(created_at__gte=now - timedelta(days=14), created_at__lt=now).values_list(
        "provider", "created_at", "status", "succeeded_at")
    alerts += predictive.payment_alerts(list(rows), now)
    if record:
        record_database_size(now=now)
    samples = list(DatabaseSize.objects.filter(taken_at__gte=now - timedelta(days=90), taken_at__lte=now)
                   .values_list("taken_at", "db_bytes", "free_bytes"))
    if samples:
        free = samples[-1][2] if free_bytes is None else free_bytes
        alerts.append(predictive.disk_alert([(taken, size) for taken, size, _ in samples], free, now))
    model = None
    for alert in alerts:
        if alert.crosses_at is None:
            continue
        within = alert.crosses_at - now
        if within < window:
            alert.window_note = f"no {int(window.total_seconds() // 60)}-minute window fits before then: act now"
            continue
        model = model or fit_model(as_of=now)
        best = advisor.advise(model, advisor.Request(duration=window, within=min(within, timedelta(days=28)), as_of=now,
                                                     top=1)).ranking[0]
        alert.window = {"starts_at": best.starts_at.isoformat(), "ends_at": best.ends_at.isoformat(),
                        "cost": round(best.cost, 2), "reason": best.reason}
    return sorted(alerts, key=lambda a: (a.crosses_at is None, a.crosses_at or now))


def window_aftermath(window):
    """Forecast against actual orders during a finished maintenance window and the 24 h after it."""
    from yongxu.planner import aftermath

    start, _end = aftermath.bounds(window)
    return aftermath.measure(window, fit_model(as_of=start))


def forecast_accuracy(*, weeks: int = 12) -> accuracy.Accuracy:
    if weeks < 1:
        raise BadAdviceRequest("--weeks must be at least 1")
    return accuracy.run(load_history(), zone=shop_zone(), weeks=weeks, events=calendar_events())


@transaction.atomic
def schedule_window(*, starts_at: datetime, duration: timedelta, level: str, modules=(), actor, title: str = "",
                    public_reason: str = "", description: str = ""):
    """Make a recommended window a planned one: the one ``maintenance.windows.schedule_window`` (its
    closure opens and closes by the clock; timeline, notices, feeds and calendar follow). Returns the
    MaintenanceWindow."""
    from yongxu.maintenance import windows

    if starts_at <= clock.now():
        raise BadAdviceRequest("that window has already started; ask for a fresh advice")
    if not title.strip():
        with translation.override(settings.LANGUAGE_CODE):
            title = gettext("Planned maintenance")
    return windows.schedule_window(title=title, start=starts_at, end=starts_at + duration, level=level, modules=list(modules),
                                   public_reason=public_reason, description=description, actor=actor)
