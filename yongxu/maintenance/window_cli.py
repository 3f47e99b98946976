"""`yongxu maintenance schedule|start|update|verify|complete|cancel` — planned windows from the CLI."""

import json
from datetime import timedelta

from django.core.management.base import CommandError

from yongxu.core import numbers
from yongxu.maintenance import windows
from yongxu.maintenance.models import MaintenanceWindow
from yongxu.maintenance.services import MaintenanceError, parse_eta

ACTIONS = ("schedule", "start", "update", "verify", "complete", "cancel")
ACTOR = "cli"


def parse_duration(text: str) -> timedelta:
    """90m, 2h, 1h30m, 45s, 1d."""
    duration = numbers.parse_duration(text)
    if duration is None:
        raise MaintenanceError(f"Not a duration: {text!r} (use 90m, 2h, 1h30m)", code="bad_duration")
    if duration <= timedelta(0):
        raise MaintenanceError("The duration must be positive.", code="bad_duration")
    return duration


def add_parsers(sub) -> None:
    schedule = sub.add_parser("schedule", help="Plan a maintenance window; prints its id.")
    schedule.add_argument("--title", required=True)
    schedule.add_argument("--start", required=True, help="ISO 8601 or relative (+2h).")
    schedule.add_argument("--duration", required=True, help="e.g. 90m, 2h.")
    schedule.add_argument("--level", default="full", choices=["full", "readonly", "modules", "sync"])
    schedule.add_argument("--modules", default="")
    schedule.add_argument("--kind", default="upgrade", choices=["upgrade", "data_migration", "security", "emergency"])
    schedule.add_argument("--public-reason", default="")
    schedule.add_argument("--description", default="")
    schedule.add_argument("--step", action="append", default=[], help="A named progress step (repeatable).")
    schedule.add_argument("--json", action="store_true")
    for action in ACTIONS[1:]:
        parser = sub.add_parser(action, help=f"{action.capitalize()} a planned window.")
        parser.add_argument("window_id", type=int)
        parser.add_argument("--note", default="")
        if action == "update":
            parser.add_argument("--eta", default=None, help="ISO 8601 or relative (+30m).")
            parser.add_argument("--step", default="", help="Mark this named step done.")
        parser.add_argument("--json", action="store_true")


def describe(window: MaintenanceWindow) -> dict:
    return {"id": window.pk, "title": window.title, "phase": window.phase, "level": window.level,
            "capabilities": window.capabilities, "planned_start": window.planned_start.isoformat(),
            "planned_end": window.planned_end.isoformat(), "eta": window.eta.isoformat(), "sequence": window.sequence,
            "steps": window.steps}


def run(action: str, options: dict, out) -> None:
    if action == "schedule":
        start = parse_eta(options["start"])
        window = windows.schedule_window(
            title=options["title"], start=start, end=start + parse_duration(options["duration"]), level=options["level"],
            modules=[m.strip() for m in options["modules"].split(",") if m.strip()], kind=options["kind"],
            public_reason=options["public_reason"], description=options["description"], steps=options["step"],
            actor=ACTOR)
    else:
        window = MaintenanceWindow.objects.filter(pk=options["window_id"]).first()
        if window is None:
            raise CommandError(f"no window #{options['window_id']}", returncode=2)
        note = options["note"]
        if action == "update":
            window = windows.update_window(window, actor=ACTOR, note=note, eta=parse_eta(options["eta"]),
                                           step=options["step"])
        else:
            window = getattr(windows, f"{action}_window")(window, actor=ACTOR, note=note)
    if options.get("json"):
        out.write(json.dumps(describe(window), ensure_ascii=False))
    elif action == "schedule":
        out.write(str(window.pk))
    else:
        out.write(f"window #{window.pk}: {window.get_phase_display()}, eta {window.eta.isoformat()}")
