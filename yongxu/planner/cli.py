"""The planner's part of `yongxu maintenance`: `advise` and `backtest` (parsing and printing only)."""

import json

from yongxu.maintenance.services import parse_eta
from yongxu.maintenance.window_cli import ACTOR, describe
from yongxu.planner import services
from yongxu.planner.advisor import Request
from yongxu.planner.errors import BadAdviceRequest


def advise(options: dict, stdout) -> None:
    wanted = options.get("schedule")
    if wanted is not None and wanted < 1:
        raise BadAdviceRequest(f"--schedule {wanted}: give the rank of a window in the ranking (1 is the best)")
    request = Request(
        duration=services.parse_duration(options["duration"]),
        level=options["level"],
        modules=tuple(m.strip() for m in (options.get("modules") or "").split(",") if m.strip()),
        within=services.parse_duration(options["within"]),
        as_of=parse_eta(options.get("as_of")),
        staff_hours=services.parse_staff_hours(options["staff_hours"]) if options.get("staff_hours") else None,
        staff_tz=options.get("staff_tz") or "",
        top=options["top"],
    )
    advice = services.advise_window(request)
    window = None
    if wanted is not None:
        if wanted > len(advice.ranking):
            raise BadAdviceRequest(f"--schedule {wanted}: only {len(advice.ranking)} windows are ranked (see --top)")
        chosen = advice.ranking[wanted - 1]
        window = services.schedule_window(starts_at=chosen.starts_at, duration=chosen.ends_at - chosen.starts_at,
                                          level=request.level, modules=request.modules, title=options.get("title") or "",
                                          public_reason=options.get("public_reason") or "", actor=ACTOR)
    if options.get("json"):
        data = advice.as_dict()
        if window is not None:
            data["window"] = describe(window)
        stdout.write(json.dumps(data, ensure_ascii=False))
        return
    stdout.write(
        f"{advice.considered} start times considered; {advice.confidence} confidence; "
        f"forecast weekly GMV {advice.weekly_gmv:.2f} (zone {advice.zone})"
    )
    for note in advice.notes:
        stdout.write(f"  note: {note}")
    for rank, c in enumerate(advice.ranking, 1):
        stdout.write(
            f"{rank}. {c.starts_at:%Y-%m-%d %H:%M}Z–{c.ends_at:%H:%M}Z  cost {c.cost:.2f} "
            f"[{c.cost_low:.2f}–{c.cost_high:.2f}]  {c.reason}"
        )
        stdout.write(
            f"   lost {c.lost:.2f} − recaptured {c.recaptured:.2f} + penalty {c.penalty:.2f} + goodwill {c.goodwill:.2f}; "
            f"buyers' local times: {', '.join(f'{k} {v}' for k, v in c.buyer_times.items()) or '-'}"
        )
    if window is not None:
        stdout.write(f"scheduled #{wanted} as window {window.pk}: “{window.title}”, {window.level} from "
                     f"{window.planned_start:%Y-%m-%d %H:%M}Z to {window.planned_end:%H:%M}Z")


def backtest(options: dict, stdout) -> None:
    staff_hours = options.get("staff_hours")
    result = services.backtest_advisor(
        duration=services.parse_duration(options["duration"]),
        weeks=options["weeks"],
        staff_hours=services.parse_staff_hours(staff_hours) if staff_hours else None,
        staff_tz=options.get("staff_tz") or "",
    )
    if options.get("json"):
        stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    stdout.write(markdown(result))


def markdown(result) -> str:
    lines = [
        f"| week (shop time) | week GMV | advisor's window | its GMV | hindsight best | habit {result.habit} | regret | "
        "habit regret |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(result.zone)
    for w in result.weeks:
        lines.append(
            f"| {w.week_start.astimezone(tz):%Y-%m-%d} | {w.week_gmv:.2f} | {w.chosen_start.astimezone(tz):%a %H:%M} | "
            f"{w.chosen_gmv:.2f} | {w.best_gmv:.2f} | {w.habit_gmv:.2f} | {w.regret:.2f} | {w.habit_regret:.2f} |"
        )
    s = result.summary()
    if s["weeks"]:
        lines.append(
            f"\nmean regret {s['mean_regret']:.2f} ({s['mean_regret_share']:.3%} of weekly GMV), "
            f"worst {s['worst_regret']:.2f}; "
            f"habit rule: mean {s['mean_habit_regret']:.2f} ({s['mean_habit_regret_share']:.3%}), "
            f"worst {s['worst_habit_regret']:.2f}"
        )
    else:
        lines.append("\nno complete week of history to test on")
    return "\n".join(lines)
