"""`yongxu maintenance status|on|off|end|progress|token` — for operators and CI/CD pipelines.

Exit codes: 0 done (for `status`: the shop is fully open); 3 `status` found something closed;
2 bad arguments or refused input; 1 anything else."""

import json
import secrets

from django.core.management.base import BaseCommand, CommandError

from yongxu.core.errors import DomainError
from yongxu.maintenance import bypass, services, window_cli
from yongxu.maintenance.api import token_hash
from yongxu.maintenance.models import OperatorToken

ACTOR = "cli"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="Show the effective state (exit 3 if anything is closed).")
        status.add_argument("--json", action="store_true")
        on = sub.add_parser("on", help="Switch maintenance on (replaces the current manual switch).")
        on.add_argument("--level", default="full", choices=["full", "readonly", "modules", "sync"])
        on.add_argument("--modules", default="", help="Capabilities to close by name, comma-separated.")
        on.add_argument("--reason", default="", help="Internal reason (audit log only).")
        on.add_argument("--public-reason", default="", help="What buyers are told.")
        on.add_argument("--eta", default=None, help="ISO 8601 or relative (+90m, +2h).")
        on.add_argument("--secret", nargs="?", const="", default=None,
                        help="Print a bypass link; optionally give the secret yourself.")
        on.add_argument("--json", action="store_true")
        off = sub.add_parser("off", help="Switch the manual maintenance off.")
        off.add_argument("--json", action="store_true")
        end = sub.add_parser("end", help="End one closure of any source (ids: `status`); a planned window is "
                                         "completed, or cancelled if it has not started.")
        end.add_argument("closure_id", type=int)
        end.add_argument("--note", default="", help="Why (audit log; a window's timeline).")
        end.add_argument("--json", action="store_true")
        progress = sub.add_parser("progress", help="Report progress of the current maintenance.")
        progress.add_argument("percent", type=int)
        progress.add_argument("--note", default="")
        progress.add_argument("--step", default="", help="Mark this named step done.")
        progress.add_argument("--json", action="store_true")
        token = sub.add_parser("token", help="Create or revoke an operator API token.")
        token.add_argument("token_action", choices=["create", "revoke"])
        token.add_argument("name")
        window_cli.add_parsers(sub)
        advise = sub.add_parser("advise", help="Rank maintenance windows by the sales they would cost.")
        advise.add_argument("--duration", required=True, help="e.g. 2h, 90m")
        advise.add_argument("--level", default="full", choices=["full", "readonly", "modules", "sync"])
        advise.add_argument("--modules", default="", help="Capabilities closed, comma-separated (level modules).")
        advise.add_argument("--within", default="14d", help="Search this far ahead, e.g. 14d.")
        advise.add_argument("--as-of", default=None, help="Pretend now is this instant (ISO 8601); only earlier history.")
        advise.add_argument("--staff-hours", default=None, help="e.g. 09:00-23:00: the whole window falls inside.")
        advise.add_argument("--staff-tz", default=None, help="Zone of --staff-hours, e.g. Asia/Shanghai.")
        advise.add_argument("--top", type=int, default=5)
        advise.add_argument("--schedule", type=int, default=None, metavar="N",
                            help="Schedule the N-th window of the ranking as a planned window; prints its id.")
        advise.add_argument("--title", default="", help="Title of the scheduled window (default: Planned maintenance).")
        advise.add_argument("--public-reason", default="", help="What buyers are told about the scheduled window.")
        advise.add_argument("--json", action="store_true")
        backtest = sub.add_parser("backtest", help="Realised regret of the advisor on the imported history.")
        backtest.add_argument("--duration", required=True)
        backtest.add_argument("--weeks", type=int, default=12)
        backtest.add_argument("--staff-hours", default=None, help="e.g. 09:00-18:00: every window falls inside.")
        backtest.add_argument("--staff-tz", default=None, help="Zone of --staff-hours, e.g. Europe/London.")
        backtest.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        action = options["action"]
        try:
            if action == "token":
                return self._token(options["token_action"], options["name"])
            if action in window_cli.ACTIONS:
                return window_cli.run(action, options, self.stdout)
            if action in ("advise", "backtest"):
                from yongxu.planner import cli as planner_cli

                return getattr(planner_cli, action)(options, self.stdout)
            bypass_url = None
            if action == "on":
                closure = services.turn_on(
                    options["level"], actor=ACTOR, modules=[m for m in options["modules"].split(",") if m.strip()],
                    reason=options["reason"], public_reason=options["public_reason"],
                    eta=services.parse_eta(options["eta"]), secret=options["secret"])
                bypass_url = bypass.link(closure)
            elif action == "off":
                services.turn_off(actor=ACTOR)
            elif action == "end":
                services.end_closure(options["closure_id"], actor=ACTOR, note=options["note"])
            elif action == "progress":
                services.report_progress(options["percent"], actor=ACTOR, note=options["note"], step=options["step"])
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}", returncode=2) from error
        data = services.report().as_dict()
        if bypass_url:
            data["bypass_url"] = bypass_url
        self._print(data, as_json=options.get("json", False))
        if action == "status" and data["in_maintenance"]:
            raise SystemExit(3)

    def _print(self, data: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        if not data["in_maintenance"]:
            self.stdout.write("open: every capability is open")
        else:
            self.stdout.write(f"maintenance: level {data['level']}; closed: {', '.join(data['closed']) or '-'}")
            self.stdout.write(f"  public reason: {data['public_reason'] or '-'}   eta: {data['eta'] or '-'}   "
                              f"progress: {data['progress']}%")
        for closure in data["closures"]:
            self.stdout.write(f"  closure {closure['id']} ({closure['source_label']}: {closure['source']}): "
                              f"{closure['level']} since {closure['starts_at']}")
        for window in data["upcoming"]:
            self.stdout.write(f"upcoming: {window['level']} from {window['starts_at']} to {window['ends_at'] or '?'} "
                              f"(closure {window['id']}, {window['source_label']}: {window['source']})")
        if data.get("bypass_url"):
            self.stdout.write(f"bypass link: {data['bypass_url']}")

    def _token(self, action: str, name: str) -> None:
        if action == "create":
            token = secrets.token_urlsafe(32)
            OperatorToken.objects.create(name=name, token_hash=token_hash(token))
            self.stdout.write(token)
        else:
            from yongxu.core import clock

            if not OperatorToken.objects.filter(name=name, revoked_at__isnull=True).update(revoked_at=clock.now()):
                raise CommandError(f"no active token named {name!r}", returncode=2)
            self.stdout.write(f"revoked {name}")
