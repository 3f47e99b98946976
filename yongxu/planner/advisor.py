"""The loss model and the advisor: every start time on the 15-minute grid, costed and ranked.

cost(window) = lost GMV − recaptured GMV + promotion/special-date penalty + daylight goodwill, where
  lost GMV       forecast GMV in the window × the share of sales the level stops (full, readonly, or
                 modules closing checkout or payment: all of it; other modules: none)
  recaptured     lost GMV × recapture rate (buyers who come back after reopening; default 60 %)
  penalty        a window touching a promotion's ±48 h (configurable) costs a week of forecast GMV × (1 + uplift),
                 so it ranks last; near a special date (±24 h) a day's GMV × its expected surge
  goodwill       active buyers for whom the window falls in their local daytime (08:00–22:00) × the average
                 GMV per buyer × 10 % (halved in read-only: they can still browse)
The first row is the true minimum over the grid (ties: nearer to 04:00 shop time, then earlier)."""

from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from yongxu.core.capabilities import CHECKOUT, PAYMENT
from yongxu.maintenance.state import LEVELS, READONLY, ClosureView
from yongxu.planner.errors import BadAdviceRequest
from yongxu.planner.forecast import DAY, Forecast, Model, predict
from yongxu.planner.geo import zone_of_country
from yongxu.planner.history import STEP, ceil_slot

DAYTIME = (8, 22)


@dataclass(frozen=True)
class Request:
    duration: timedelta
    level: str = "full"
    modules: tuple[str, ...] = ()
    within: timedelta = timedelta(days=14)
    as_of: datetime | None = None
    staff_hours: tuple[time, time] | None = None
    staff_tz: str = ""
    top: int = 5
    recapture: float = 0.6
    goodwill: float = 0.1
    promotion_block: timedelta = timedelta(hours=48)
    special_block: timedelta = timedelta(hours=24)


@dataclass
class Candidate:
    starts_at: datetime
    ends_at: datetime
    forecast_gmv: float
    forecast_gmv_low: float
    forecast_gmv_high: float
    lost: float
    recaptured: float
    penalty: float
    goodwill: float
    daylight_share: float
    cost: float
    cost_low: float
    cost_high: float
    share_of_week: float
    buyer_times: dict[str, str] = field(default_factory=dict)
    reason: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["starts_at"], data["ends_at"] = self.starts_at.isoformat(), self.ends_at.isoformat()
        return {key: round(value, 4) if isinstance(value, float) else value for key, value in data.items()}


@dataclass
class Advice:
    ranking: list[Candidate]
    confidence: str
    notes: list[str]
    weekly_gmv: float
    considered: int
    zone: str

    def as_dict(self) -> dict:
        return {"confidence": self.confidence, "notes": self.notes, "weekly_gmv": round(self.weekly_gmv, 2),
                "considered": self.considered, "zone": self.zone, "ranking": [c.as_dict() for c in self.ranking]}


def lost_fraction(level: str, modules) -> float:
    """The share of sales a level stops: all of it when checkout or payment closes."""
    if level not in LEVELS:
        raise BadAdviceRequest(f"unknown level {level!r} (use one of {', '.join(LEVELS)})")
    view = ClosureView(id=0, source="advice", level=level, capabilities=frozenset(modules), starts_at=datetime.min)
    return 1.0 if view.closes & {CHECKOUT, PAYMENT} else 0.0


def check(request: Request) -> None:
    if request.duration <= timedelta(0):
        raise BadAdviceRequest("the duration must be positive")
    if request.within < request.duration:
        raise BadAdviceRequest(f"--within {_span(request.within)} is shorter than the window itself ({_span(request.duration)})")
    if request.staff_hours and not request.staff_tz:
        raise BadAdviceRequest("--staff-hours needs --staff-tz")
    if request.staff_tz:
        zone_info(request.staff_tz)


def zone_info(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadAdviceRequest(f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai)") from exc


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes % 60 else f"{minutes // 60}h"


def slot_costs(model: Model, forecast: Forecast, request: Request) -> dict[str, np.ndarray]:
    """Per-slot terms of the loss (the window's terms are their sums, plus the penalty)."""
    fraction = lost_fraction(request.level, request.modules)
    gmv, buyers = forecast.values["gmv"], forecast.values["buyers"]
    lost = gmv * fraction
    daylight = _daylight_buyers(model, forecast)
    per_buyer = float(model.profile["gmv"].sum() / model.profile["buyers"].sum()) if model.profile["buyers"].sum() else 0.0
    goodwill = daylight * per_buyer * request.goodwill * (0.5 if request.level == READONLY else 1.0) * (fraction > 0)
    return {"gmv": gmv, "low": forecast.low["gmv"], "high": forecast.high["gmv"], "lost": lost,
            "recaptured": lost * request.recapture, "goodwill": goodwill, "daylight": daylight, "buyers": buyers}


def _daylight_buyers(model: Model, forecast: Forecast) -> np.ndarray:
    matrix = forecast.country_buyers
    if not matrix.shape[1]:  # no country known: the buyers are in the shop's zone
        hours = forecast.local.hour.to_numpy()
        return forecast.values["buyers"] * ((hours >= DAYTIME[0]) & (hours < DAYTIME[1]))
    awake = np.zeros_like(matrix)
    for column, code in enumerate(model.countries):
        zone = zone_of_country(code) or model.zone
        hours = forecast.times.tz_convert(zone).hour.to_numpy()
        awake[:, column] = (hours >= DAYTIME[0]) & (hours < DAYTIME[1])
    total = matrix.sum(axis=1)
    share = np.divide((matrix * awake).sum(axis=1), total, out=np.zeros(len(total)), where=total > 0)
    return forecast.values["buyers"] * share


def _window_sums(values: np.ndarray, width: int, count: int) -> np.ndarray:
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    return cumulative[width:width + count] - cumulative[:count]


def penalties(model: Model, starts, width: int, weekly_gmv: float, request: Request) -> tuple[np.ndarray, list[list[str]]]:
    total = np.zeros(len(starts))
    why: list[list[str]] = [[] for _ in starts]
    ends = [start + width * STEP for start in starts]
    for event in model.events:
        block = request.promotion_block if event.kind == "promotion" else request.special_block
        cost = weekly_gmv * (1 + event.uplift) if event.kind == "promotion" else weekly_gmv / 7 * event.uplift
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if start < event.ends_at + block and end > event.starts_at - block:
                total[i] += cost
                why[i].append(f"within {int(block.total_seconds() // 3600)} h of {event.name}")
    return total, why


def allowed(starts, width: int, request: Request) -> np.ndarray:
    if not request.staff_hours:
        return np.ones(len(starts), dtype=bool)
    zone, (begin, finish) = zone_info(request.staff_tz), request.staff_hours
    ok = np.zeros(len(starts), dtype=bool)
    span = width * STEP
    for i, start in enumerate(starts):
        local_start = start.astimezone(zone)
        day_begin = local_start.replace(hour=begin.hour, minute=begin.minute, second=0, microsecond=0)
        if finish <= begin:  # over midnight: 22:00-06:00
            if local_start.time() < finish:
                day_begin -= timedelta(days=1)
            day_end = (day_begin + timedelta(days=1)).replace(hour=finish.hour, minute=finish.minute)
        else:
            day_end = local_start.replace(hour=finish.hour, minute=finish.minute, second=0, microsecond=0)
        ok[i] = day_begin <= local_start and start + span <= day_end
    return ok


def _night_distance(starts, width: int, zone: str) -> np.ndarray:
    """Hours between the window's middle (shop time) and 04:00: the tie-break, and the rule with no history."""
    tz = ZoneInfo(zone)
    mids = [(start + width * STEP / 2).astimezone(tz) for start in starts]
    hours = np.array([m.hour + m.minute / 60 for m in mids])
    gap = np.abs(hours - 4.0)
    return np.minimum(gap, 24 - gap)


def advise(model: Model, request: Request) -> Advice:
    check(request)
    as_of = request.as_of or model.as_of
    width = -(-int(request.duration.total_seconds()) // 900)
    first = ceil_slot(as_of)
    count = int((as_of + request.within - first).total_seconds() // 900) - width + 1
    if count <= 0:
        raise BadAdviceRequest(f"no {_span(request.duration)} window starts on the 15-minute grid within {_span(request.within)}")
    forecast = predict(model, first, count + width - 1)
    terms = slot_costs(model, forecast, request)
    starts = [first + i * STEP for i in range(count)]
    ok = allowed(starts, width, request)
    if not ok.any():
        begin, finish = request.staff_hours
        raise BadAdviceRequest(f"staff hours {begin:%H:%M}-{finish:%H:%M} {request.staff_tz} leave no {_span(request.duration)} "
                               f"window within {_span(request.within)}")
    sums = {name: _window_sums(values, width, count) for name, values in terms.items()}
    horizon_days = max(len(forecast.times) / DAY, 1e-9)
    weekly_gmv = float(model.profile["gmv"].sum() * model.level)
    penalty, why = penalties(model, starts, width, weekly_gmv, request)
    cost = sums["lost"] - sums["recaptured"] + penalty + sums["goodwill"]
    fraction = 1 - request.recapture
    low = sums["low"] * lost_fraction(request.level, request.modules) * fraction + penalty + sums["goodwill"]
    high = sums["high"] * lost_fraction(request.level, request.modules) * fraction + penalty + sums["goodwill"]
    night = _night_distance(starts, width, model.zone)
    order = np.lexsort((np.arange(count), night, np.round(cost, 6), ~ok))
    chosen: list[int] = []
    for index in order:
        if not ok[index]:
            break
        if all(abs(int(index) - other) >= width for other in chosen):
            chosen.append(int(index))
        if len(chosen) >= request.top:
            break
    ranking = []
    for index in chosen:
        buyers_total = sums["buyers"][index]
        daylight = float(sums["daylight"][index] / buyers_total) if buyers_total > 0 else 0.0
        candidate = Candidate(
            starts_at=starts[index], ends_at=starts[index] + width * STEP, forecast_gmv=float(sums["gmv"][index]),
            forecast_gmv_low=float(sums["low"][index]), forecast_gmv_high=float(sums["high"][index]),
            lost=float(sums["lost"][index]), recaptured=float(sums["recaptured"][index]), penalty=float(penalty[index]),
            goodwill=float(sums["goodwill"][index]), daylight_share=daylight, cost=float(cost[index]),
            cost_low=float(low[index]), cost_high=float(high[index]),
            share_of_week=float(cost[index] / weekly_gmv) if weekly_gmv > 0 else 0.0)
        candidate.buyer_times = _buyer_times(model, candidate)
        candidate.reason = _reason(model, candidate, why[index], forecast, index, width)
        ranking.append(candidate)
    notes = list(model.notes) + ([f"horizon {horizon_days:.1f} days"] if horizon_days < 7 else [])
    return Advice(ranking=ranking, confidence=model.confidence, notes=notes, weekly_gmv=weekly_gmv,
                  considered=int(ok.sum()), zone=model.zone)


def _buyer_times(model: Model, candidate: Candidate) -> dict[str, str]:
    top = sorted(model.gmv_share.items(), key=lambda kv: -kv[1])[:3]
    times = {}
    for code, _share in top:
        zone = zone_of_country(code)
        if zone:
            tz = ZoneInfo(zone)
            times[code] = f"{candidate.starts_at.astimezone(tz):%a %H:%M}–{candidate.ends_at.astimezone(tz):%H:%M}"
    return times


def _reason(model: Model, c: Candidate, why: list[str], forecast: Forecast, index: int, width: int) -> str:
    tz = ZoneInfo(model.zone)
    start, end = c.starts_at.astimezone(tz), c.ends_at.astimezone(tz)
    parts = [f"{start:%a %H:%M}–{end:%H:%M} {model.zone}: {c.share_of_week:.1%} of weekly GMV"]
    awake = [code for code, local in c.buyer_times.items() if DAYTIME[0] <= int(local[4:6]) < DAYTIME[1]]
    parts.append(f"{c.daylight_share:.0%} of buyers in daylight" + (f" ({', '.join(awake)})" if awake else ""))
    days = {forecast.local[i].date() for i in range(index, index + width)}
    parts += [forecast.day_notes[day] for day in sorted(days) if day in forecast.day_notes]
    parts += why
    nearest = _nearest_event(model, c)
    if nearest and not why:
        parts.append(nearest)
    return "; ".join(parts)


def _nearest_event(model: Model, c: Candidate) -> str:
    best = None
    for event in model.events:
        if event.ends_at <= c.starts_at:
            gap, text = c.starts_at - event.ends_at, "after"
        elif event.starts_at >= c.ends_at:
            gap, text = event.starts_at - c.ends_at, "before"
        else:
            continue
        if best is None or gap < best[0]:
            best = (gap, f"{_days(gap)} {text} {event.name}")
    return best[1] if best else ""


def _days(gap: timedelta) -> str:
    days = gap.total_seconds() / 86400
    return f"{days:.0f} days" if days >= 1.5 else f"{gap.total_seconds() / 3600:.0f} h"
