"""The traffic forecast: a recency-weighted seasonal profile per 15-minute slot of the shop's week.

How a slot's forecast is made (each factor is reported, see ``Model.explain``):
  profile[slot of the week, in the shop's local time]       weighted mean of the same slot in past weeks,
                                                            each week weighing half as much every
                                                            ``half_life_weeks``; holidays and closed days
                                                            (no sale on a weekday that normally sells) left out
  × level        recent two weeks' actual / what the profile says for them (trend), within [0.5, 2]
  × holiday      1 − Σ buyer countries' GMV share × (1 − learned holiday ratio) for countries on holiday
  × promotion    1 + expected uplift while a promotion runs; special dates likewise with their surge
Make-up working days in mainland China use the average weekday profile for the Chinese share.
The 80 % interval is the weighted 10th–90th percentile of the same slot in past weeks, scaled alike."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from yongxu.planner.calendars import holiday_name, is_makeup_workday
from yongxu.planner.geo import country_of_zone
from yongxu.planner.history import STEP, History, floor_slot

DAY, WEEK = 96, 672
SERIES = ("orders", "gmv", "buyers")


@dataclass(frozen=True)
class Config:
    half_life_weeks: float = 8.0
    fit_weeks: int = 26
    quantiles: tuple[float, float] = (0.1, 0.9)


@dataclass(frozen=True)
class Event:
    name: str
    starts_at: datetime
    ends_at: datetime
    uplift: float  # promotion: expected uplift; special date: expected surge
    kind: str = "promotion"


@dataclass
class Model:
    as_of: datetime
    zone: str
    profile: dict[str, np.ndarray]
    low: dict[str, np.ndarray]
    high: dict[str, np.ndarray]
    weekday_profile: dict[str, np.ndarray]
    countries: tuple[str, ...]
    country_profile: np.ndarray  # (WEEK, countries): expected active buyers by country
    gmv_share: dict[str, float]
    calendar_countries: tuple[str, ...]
    level: float = 1.0
    holiday_ratio: float = 1.0
    holidays_seen: int = 0
    history_days: float = 0.0
    closed_days: int = 0
    events: tuple[Event, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def confidence(self) -> str:
        return "low" if self.history_days < 14 else "normal"

    def explain(self) -> dict:
        return {"method": "recency-weighted seasonal profile per 15-minute slot of the week", "zone": self.zone,
                "history_days": round(float(self.history_days), 1), "confidence": self.confidence, "level": round(self.level, 3),
                "holiday_ratio": round(self.holiday_ratio, 3), "holidays_seen": self.holidays_seen,
                "closed_days_left_out": self.closed_days, "calendar_countries": list(self.calendar_countries),
                "notes": list(self.notes)}


@dataclass
class Forecast:
    times: pd.DatetimeIndex  # slot starts, UTC
    local: pd.DatetimeIndex  # the same in the shop's zone
    values: dict[str, np.ndarray]
    low: dict[str, np.ndarray]
    high: dict[str, np.ndarray]
    country_buyers: np.ndarray  # (slots, countries)
    day_notes: dict[date, str]


def local_slots(times: pd.DatetimeIndex, zone: str) -> tuple[np.ndarray, pd.DatetimeIndex]:
    local = times.tz_convert(zone)
    slot = local.day_of_week.to_numpy() * DAY + local.hour.to_numpy() * 4 + local.minute.to_numpy() // 15
    return slot.astype(np.int64), local


def _times(start: datetime, count: int) -> pd.DatetimeIndex:
    return pd.date_range(start=pd.Timestamp(start).tz_convert("UTC"), periods=count, freq="15min")


def _weighted_quantiles(slot: np.ndarray, values: np.ndarray, weights: np.ndarray, qs) -> list[np.ndarray]:
    out = [np.full(WEEK, np.nan) for _ in qs]
    if not len(values):
        return out
    order = np.lexsort((values, slot))
    s, v, w = slot[order], values[order], weights[order]
    bounds = np.searchsorted(s, np.arange(WEEK + 1))
    for k in range(WEEK):
        a, b = bounds[k], bounds[k + 1]
        if b <= a:
            continue
        cumulative = np.cumsum(w[a:b])
        for i, q in enumerate(qs):
            out[i][k] = v[a + min(int(np.searchsorted(cumulative, q * cumulative[-1])), b - a - 1)]
    return out


def _calendar_countries(zone: str, shares: dict[str, float]) -> tuple[str, ...]:
    """The shop's own country and every buyer country with at least 1 % of GMV."""
    own = country_of_zone(zone)
    listed = [code for code, share in sorted(shares.items(), key=lambda kv: -kv[1]) if share >= 0.01 and len(code) == 2]
    return tuple(dict.fromkeys(([own] if own else []) + listed))


def fit(history: History, *, as_of: datetime, zone: str, events=(), config: Config = Config()) -> Model:
    """Learn the profile from the history before ``as_of`` only."""
    history = history.before(as_of)
    first = max(0, history.index_of(as_of - timedelta(weeks=config.fit_weeks)))
    gmv = history.gmv[first:]
    series = {"orders": history.orders[first:], "gmv": gmv, "buyers": history.buyers[first:]}
    n = len(gmv)
    nonzero = np.flatnonzero(history.gmv + history.orders)
    history_days = float(history.slots - nonzero[0]) / DAY if len(nonzero) else 0.0
    times = _times(history.start + first * STEP, n)
    slot, local = local_slots(times, zone)
    dates = local.normalize().tz_localize(None)
    shares = _gmv_shares(history, first, zone)
    countries = _calendar_countries(zone, shares)
    own = country_of_zone(zone) or (countries[0] if countries else "")
    day_codes, day_index = np.unique(dates.to_numpy(), return_inverse=True)
    day_list = [pd.Timestamp(d).date() for d in day_codes]
    day_totals = np.bincount(day_index, weights=gmv, minlength=len(day_list)) if n else np.zeros(0)
    weekday = np.array([d.weekday() for d in day_list], dtype=int)
    holiday = np.array([holiday_name(own, d) is not None for d in day_list], dtype=bool) if own else np.zeros(len(day_list), bool)
    makeup = np.array([is_makeup_workday(own, d) for d in day_list], dtype=bool)
    usual = np.array([np.median(day_totals[(weekday == w) & ~holiday]) if ((weekday == w) & ~holiday).any() else 0.0
                      for w in range(7)])
    closed = (day_totals == 0) & (usual[weekday] > 0) & ~holiday
    keep_day = ~holiday & ~makeup & ~closed
    keep = keep_day[day_index] if n else np.zeros(0, bool)
    age_weeks = (n - np.arange(n)) / WEEK
    weights = 0.5 ** (age_weeks / config.half_life_weeks) * keep
    profile, low, high, weekday_profile = {}, {}, {}, {}
    den = np.bincount(slot, weights=weights, minlength=WEEK)
    tod_den = np.bincount(slot % DAY, weights=weights, minlength=DAY)
    workday = weights * (slot < 5 * DAY)
    for name, values in series.items():
        num = np.bincount(slot, weights=weights * values, minlength=WEEK)
        tod = np.divide(np.bincount(slot % DAY, weights=weights * values, minlength=DAY), tod_den,
                        out=np.zeros(DAY), where=tod_den > 0)
        profile[name] = np.where(den > 0, np.divide(num, den, out=np.zeros(WEEK), where=den > 0), np.tile(tod, 7))
        wd_den = np.bincount(slot % DAY, weights=workday, minlength=DAY)
        weekday_profile[name] = np.divide(np.bincount(slot % DAY, weights=workday * values, minlength=DAY), wd_den,
                                          out=tod.copy(), where=wd_den > 0)
        if name != "buyers":
            lo, hi = _weighted_quantiles(slot[keep], values[keep], weights[keep], config.quantiles)
            low[name] = np.where(np.isnan(lo), profile[name], np.minimum(lo, profile[name]))
            high[name] = np.where(np.isnan(hi), profile[name], np.maximum(hi, profile[name]))
    model = Model(as_of=as_of, zone=zone, profile=profile, low=low, high=high, weekday_profile=weekday_profile,
                  countries=history.countries, country_profile=_country_profile(history, first, slot, weights),
                  gmv_share=shares, calendar_countries=countries, history_days=history_days,
                  closed_days=int(closed.sum()), events=tuple(events))
    expected_day = np.bincount(day_index, weights=profile["gmv"][slot], minlength=len(day_list)) if n else np.zeros(0)
    if holiday.any() and expected_day[holiday].sum() > 0:
        model.holiday_ratio = float(np.clip(day_totals[holiday].sum() / expected_day[holiday].sum(), 0, 3))
        model.holidays_seen = int(holiday.sum())
    else:
        model.notes.append("no public holiday in the history yet: holidays are assumed to sell like a normal day")
    recent = keep & (np.arange(n) >= n - 14 * DAY)
    if history_days >= 28 and profile["gmv"][slot][recent].sum() > 0:
        model.level = float(np.clip(gmv[recent].sum() / profile["gmv"][slot][recent].sum(), 0.5, 2.0))
    if history_days == 0:
        model.notes.insert(0, "no history at all: every slot is forecast at zero, so windows are ranked by the night-time rule")
    elif history_days < 14:
        model.notes.insert(0, f"only {history_days:.1f} days of history: the weekly pattern is not known yet, "
                           "each slot uses the average of the same time of day")
    if model.closed_days:
        model.notes.append(f"{model.closed_days} days with no sale on a weekday that normally sells were left out as closures")
    return model


def _gmv_shares(history: History, first: int, zone: str) -> dict[str, float]:
    if history.country_gmv is None or not history.countries:
        own = country_of_zone(zone)
        return {own: 1.0} if own else {}
    totals = history.country_gmv[first:].sum(axis=0)
    whole = totals.sum()
    return {code: float(total / whole) for code, total in zip(history.countries, totals, strict=True) if whole > 0 and total > 0}


def _country_profile(history: History, first: int, slot: np.ndarray, weights: np.ndarray) -> np.ndarray:
    if history.country_buyers is None:
        return np.zeros((WEEK, 0))
    den = np.bincount(slot, weights=weights, minlength=WEEK)
    matrix = history.country_buyers[first:]
    out = np.zeros((WEEK, matrix.shape[1]))
    for column in range(matrix.shape[1]):
        out[:, column] = np.bincount(slot, weights=weights * matrix[:, column], minlength=WEEK)
    return np.divide(out, den[:, None], out=np.zeros_like(out), where=den[:, None] > 0)


def predict(model: Model, start: datetime, count: int) -> Forecast:
    """The forecast for ``count`` slots from ``start`` (floored to the 15-minute grid)."""
    times = _times(floor_slot(start), count)
    slot, local = local_slots(times, model.zone)
    day_keys = local.normalize().tz_localize(None)
    factor = np.full(count, model.level)
    makeup_share = np.zeros(count)
    notes: dict[date, str] = {}
    for key in np.unique(day_keys.to_numpy()):
        day = pd.Timestamp(key).date()
        mask = (day_keys == key)
        off = [(code, holiday_name(code, day)) for code in model.calendar_countries]
        off = [(code, name) for code, name in off if name]
        if off:
            share = sum(model.gmv_share.get(code, 0.0) for code, _ in off)
            factor[mask] *= 1 - share * (1 - model.holiday_ratio)
            notes[day] = "; ".join(f"{name} ({code})" for code, name in off)
        if "CN" in model.calendar_countries and is_makeup_workday("CN", day):
            makeup_share[mask] = model.gmv_share.get("CN", 0.0)
            notes[day] = "make-up working day (CN)"
    for event in model.events:
        inside = (times >= pd.Timestamp(event.starts_at)) & (times < pd.Timestamp(event.ends_at))
        factor[inside] *= 1 + event.uplift
    def shape(table: dict[str, np.ndarray], name: str) -> np.ndarray:
        base = table[name][slot]
        if makeup_share.any():
            base = base * (1 - makeup_share) + model.weekday_profile[name][slot % DAY] * makeup_share
        return base * factor

    values = {name: shape(model.profile, name) for name in SERIES}
    low = {name: shape(model.low, name) for name in model.low}
    high = {name: shape(model.high, name) for name in model.high}
    buyers = model.country_profile[slot] * factor[:, None] if model.country_profile.shape[1] else np.zeros((count, 0))
    return Forecast(times=times, local=local, values=values, low=low, high=high, country_buyers=buyers, day_notes=notes)
