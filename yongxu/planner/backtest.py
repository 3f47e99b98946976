"""Realised regret: for each of the last N weeks, advise with only the history before the week, then
measure on what really happened. Compared with the best window of that week in hindsight and with
the habit rule (02:00 shop time on a fixed weekday, the same every week).

With staff hours (``staff_hours``/``staff_tz``) every window must fall inside them — the advisor's, the
hindsight best and the habit rule's, which becomes "the first staff-hours slot, same weekday". A shop that
never trades at night then has windows that really compete with sales, so the methods can be told apart."""

from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from yongxu.planner.advisor import Request, advise, allowed
from yongxu.planner.forecast import Config, fit
from yongxu.planner.history import STEP, History

HABIT_WEEKDAY = 1  # Tuesday


@dataclass
class WeekResult:
    week_start: datetime
    week_gmv: float
    chosen_start: datetime
    chosen_gmv: float
    best_start: datetime
    best_gmv: float
    habit_start: datetime
    habit_gmv: float

    @property
    def regret(self) -> float:
        return self.chosen_gmv - self.best_gmv

    @property
    def habit_regret(self) -> float:
        return self.habit_gmv - self.best_gmv

    def as_dict(self) -> dict:
        data = {
            key: (value.isoformat() if isinstance(value, datetime) else round(value, 2)) for key, value in asdict(self).items()
        }
        data.update(
            regret=round(self.regret, 2),
            habit_regret=round(self.habit_regret, 2),
            regret_share=round(self.regret / self.week_gmv, 5) if self.week_gmv else 0.0,
            habit_regret_share=round(self.habit_regret / self.week_gmv, 5) if self.week_gmv else 0.0,
        )
        return data


@dataclass
class Backtest:
    weeks: list[WeekResult]
    duration: timedelta
    zone: str
    habit: str = "02:00 Tue"

    def summary(self) -> dict:
        if not self.weeks:
            return {"weeks": 0}
        regret = np.array([w.regret for w in self.weeks])
        habit = np.array([w.habit_regret for w in self.weeks])
        return {
            "weeks": len(self.weeks),
            "mean_regret": round(float(regret.mean()), 2),
            "worst_regret": round(float(regret.max()), 2),
            "mean_habit_regret": round(float(habit.mean()), 2),
            "worst_habit_regret": round(float(habit.max()), 2),
            "mean_regret_share": round(float(np.mean([w.regret / w.week_gmv for w in self.weeks if w.week_gmv] or [0])), 5),
            "mean_habit_regret_share": round(
                float(np.mean([w.habit_regret / w.week_gmv for w in self.weeks if w.week_gmv] or [0])), 5
            ),
        }

    def as_dict(self) -> dict:
        return {
            "duration_minutes": int(self.duration.total_seconds() // 60),
            "zone": self.zone,
            "habit": self.habit,
            "summary": self.summary(),
            "weeks": [w.as_dict() for w in self.weeks],
        }


def week_starts(history: History, zone: str, weeks: int) -> list[datetime]:
    """Shop-local Mondays 00:00 of the last ``weeks`` complete weeks of the history."""
    tz = ZoneInfo(zone)
    last = history.end.astimezone(tz)
    monday = (last - timedelta(days=last.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    starts = []
    for back in range(1, weeks + 1):
        local = (monday.replace(tzinfo=None) - timedelta(weeks=back)).replace(tzinfo=tz)
        starts.append(local.astimezone(ZoneInfo("UTC")))
    return [start for start in sorted(starts) if start >= history.start]


def _actual(history: History, start: datetime, width: int) -> float:
    index = history.index_of(start)
    return float(history.gmv[max(index, 0) : max(index + width, 0)].sum())


def run(history: History, *, zone: str, duration: timedelta, weeks: int, events=(), config: Config | None = None,
        staff_hours: tuple[time, time] | None = None, staff_tz: str = "") -> Backtest:
    width = -(-int(duration.total_seconds()) // 900)
    tz = ZoneInfo(zone)
    staff = Request(duration=duration, staff_hours=staff_hours, staff_tz=staff_tz)
    results = []
    for week_start in week_starts(history, zone, weeks):
        week_end = (
            (week_start.astimezone(tz).replace(tzinfo=None) + timedelta(days=7)).replace(tzinfo=tz).astimezone(ZoneInfo("UTC"))
        )
        model = fit(history, as_of=week_start, zone=zone, events=events, config=config or Config())
        advice = advise(model, Request(duration=duration, within=week_end - week_start, as_of=week_start, top=1,
                                       staff_hours=staff_hours, staff_tz=staff_tz))
        chosen = advice.ranking[0].starts_at
        first = history.index_of(week_start)
        count = history.index_of(week_end) - first - width + 1
        actual = history.gmv[first : history.index_of(week_end)]
        sums = np.convolve(actual, np.ones(width), mode="valid")[:count]
        if staff_hours:
            ok = allowed([week_start + i * STEP for i in range(len(sums))], width, staff)
            sums = np.where(ok, sums, np.inf)
            day = week_start.astimezone(tz).date() + timedelta(days=HABIT_WEEKDAY)
            habit = datetime.combine(day, staff_hours[0], tzinfo=ZoneInfo(staff_tz)).astimezone(ZoneInfo("UTC"))
        else:
            habit_local = (week_start.astimezone(tz).replace(tzinfo=None) + timedelta(days=HABIT_WEEKDAY, hours=2)).replace(
                tzinfo=tz)
            habit = habit_local.astimezone(ZoneInfo("UTC"))
        best = int(np.argmin(sums))
        results.append(
            WeekResult(
                week_start=week_start,
                week_gmv=float(actual.sum()),
                chosen_start=chosen,
                chosen_gmv=_actual(history, chosen, width),
                best_start=week_start + best * STEP,
                best_gmv=float(sums[best]),
                habit_start=habit,
                habit_gmv=_actual(history, habit, width),
            )
        )
    habit_name = f"{staff_hours[0]:%H:%M} {staff_tz} Tue" if staff_hours else "02:00 Tue"
    return Backtest(weeks=results, duration=duration, zone=zone, habit=habit_name)
