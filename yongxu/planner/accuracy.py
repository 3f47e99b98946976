"""Forecast accuracy on a rolling backtest: for each of the last N complete weeks (shop-local Monday to
Monday), fit with only the history before the week, forecast the week, and compare hourly GMV with what
really happened — against the seasonal-naive forecast (the same shop-local slot one week earlier).

  MAE         mean over the week's hours of |forecast − actual| (hourly GMV)
  MASE        MAE / the in-sample MAE of the seasonal-naive forecast (lag 168 h) on all history before
              the week; the naive forecast's own MASE is computed the same way, so the two compare directly
  relative    MAE(forecast) / MAE(seasonal naive): below 1 means the forecast wins that week"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from yongxu.planner.backtest import week_starts
from yongxu.planner.forecast import Config, fit, predict
from yongxu.planner.history import STEP, History

HOURS_PER_WEEK = 168


@dataclass
class WeekAccuracy:
    week_start: datetime
    hours: int
    actual_gmv: float
    mae: float
    naive_mae: float
    scale: float  # in-sample seasonal-naive MAE (hourly)

    @property
    def mase(self) -> float | None:
        return self.mae / self.scale if self.scale > 0 else None

    @property
    def naive_mase(self) -> float | None:
        return self.naive_mae / self.scale if self.scale > 0 else None

    @property
    def relative(self) -> float | None:
        return self.mae / self.naive_mae if self.naive_mae > 0 else None

    def as_dict(self) -> dict:
        data = {key: (value.isoformat() if isinstance(value, datetime) else value) for key, value in asdict(self).items()}
        for key in ("actual_gmv", "mae", "naive_mae", "scale"):
            data[key] = round(data[key], 4)
        data.update({key: (None if getattr(self, key) is None else round(getattr(self, key), 4))
                     for key in ("mase", "naive_mase", "relative")})
        return data


@dataclass
class Accuracy:
    weeks: list[WeekAccuracy]
    zone: str

    def summary(self) -> dict:
        if not self.weeks:
            return {"weeks": 0}
        mae = float(np.mean([w.mae for w in self.weeks]))
        naive = float(np.mean([w.naive_mae for w in self.weeks]))
        mase = [w.mase for w in self.weeks if w.mase is not None]
        naive_mase = [w.naive_mase for w in self.weeks if w.naive_mase is not None]
        return {"weeks": len(self.weeks), "mean_mae": round(mae, 4), "mean_naive_mae": round(naive, 4),
                "mean_mase": round(float(np.mean(mase)), 4) if mase else None,
                "mean_naive_mase": round(float(np.mean(naive_mase)), 4) if naive_mase else None,
                "weeks_won": sum(1 for w in self.weeks if w.mae < w.naive_mae)}

    def as_dict(self) -> dict:
        return {"zone": self.zone, "summary": self.summary(), "weeks": [w.as_dict() for w in self.weeks]}


def _hourly(values: np.ndarray) -> np.ndarray:
    return values[: len(values) // 4 * 4].reshape(-1, 4).sum(axis=1)


def naive_indices(history: History, first: int, last: int, zone: str) -> np.ndarray:
    """For slots first..last−1: the index of the same shop-local slot one week earlier (UTC −7 d where the
    local time does not exist or is ambiguous)."""
    times = pd.date_range(start=pd.Timestamp(history.start + first * STEP).tz_convert("UTC"), periods=last - first, freq="15min")
    local = times.tz_convert(zone).tz_localize(None) - pd.Timedelta(days=7)
    earlier = local.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    fallback = (times - pd.Timedelta(days=7)).as_unit("ns").asi8
    chosen = np.where(earlier.isna(), fallback, earlier.tz_convert("UTC").as_unit("ns").asi8)
    offsets = (chosen - pd.Timestamp(history.start).value) // (900 * 10**9)
    return offsets.astype(np.int64)


def in_sample_scale(history: History, first: int) -> float:
    """MAE of the seasonal-naive forecast (lag 168 h, hourly GMV) on the history before slot ``first``."""
    before = history.gmv[: max(first, 0)]
    before = before[len(before) % 4 :]  # end aligned on the week's start
    hourly = _hourly(before)
    if len(hourly) <= HOURS_PER_WEEK:
        return 0.0
    return float(np.mean(np.abs(hourly[HOURS_PER_WEEK:] - hourly[:-HOURS_PER_WEEK])))


def run(history: History, *, zone: str, weeks: int = 12, events=(), config: Config | None = None) -> Accuracy:
    tz, utc = ZoneInfo(zone), ZoneInfo("UTC")
    results = []
    for week_start in week_starts(history, zone, weeks):
        week_end = (week_start.astimezone(tz).replace(tzinfo=None) + timedelta(days=7)).replace(tzinfo=tz).astimezone(utc)
        first, last = history.index_of(week_start), history.index_of(week_end)
        if first < 0:
            continue
        model = fit(history, as_of=week_start, zone=zone, events=events, config=config or Config())
        predicted = predict(model, week_start, last - first).values["gmv"]
        actual = history.gmv[first:last]
        earlier = naive_indices(history, first, last, zone)
        naive = np.where(earlier >= 0, history.gmv[np.clip(earlier, 0, history.slots - 1)], 0.0)
        hourly_actual = _hourly(actual)
        results.append(WeekAccuracy(
            week_start=week_start, hours=len(hourly_actual), actual_gmv=float(actual.sum()),
            mae=float(np.mean(np.abs(_hourly(predicted) - hourly_actual))),
            naive_mae=float(np.mean(np.abs(_hourly(naive) - hourly_actual))),
            scale=in_sample_scale(history, first)))
    return Accuracy(weeks=results, zone=zone)


def markdown(result: Accuracy) -> str:
    tz = ZoneInfo(result.zone)
    lines = ["| week (shop time) | hours | actual GMV | MAE forecast | MAE seasonal naive | MASE forecast | "
             "MASE seasonal naive | forecast / naive |", "|---|---:|---:|---:|---:|---:|---:|---:|"]

    def f(value):
        return "–" if value is None else f"{value:.3f}"

    for w in result.weeks:
        lines.append(f"| {w.week_start.astimezone(tz):%Y-%m-%d} | {w.hours} | {w.actual_gmv:.2f} | {w.mae:.2f} | "
                     f"{w.naive_mae:.2f} | {f(w.mase)} | {f(w.naive_mase)} | {f(w.relative)} |")
    s = result.summary()
    if s["weeks"]:
        lines.append(f"\nmean MAE {s['mean_mae']:.2f} vs seasonal naive {s['mean_naive_mae']:.2f}; mean MASE "
                     f"{f(s['mean_mase'])} vs {f(s['mean_naive_mase'])}; the forecast wins {s['weeks_won']} of "
                     f"{s['weeks']} weeks")
    else:
        lines.append("\nno complete week of history to measure")
    return "\n".join(lines)
