"""`yongxu traffic import FILE | aggregate | forecast [--accuracy] | warnings` — the traffic history the window
advisor learns from, its measured accuracy, and the warnings of predictive maintenance.

Exit codes: 0 done; 2 refused input (a bad file, column or option)."""

import json
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yongxu.core.errors import DomainError
from yongxu.maintenance.services import parse_eta
from yongxu.planner import services
from yongxu.planner.importer import ImportSpec


def progress_bar(write):
    """A text progress bar on stderr: ``write`` is the command's stderr writer."""

    def show(done: int, total: int, label: str) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        write(f"\r[{'#' * filled}{'.' * (width - filled)}] {100 * done // max(total, 1):3d}% {label:<16}")
        if done >= total and label == "writing buckets":
            write("\n")

    return show


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Load an older shop's history (CSV or Parquet).")
        load.add_argument("file")
        load.add_argument("--ts-col", required=True, help="Column with the order time.")
        load.add_argument("--amount-col", default="", help="Column with the line's amount…")
        load.add_argument("--qty-col", default="", help="…or a quantity column…")
        load.add_argument("--price-col", default="", help="…with a unit price column.")
        load.add_argument("--customer-col", default="", help="Column identifying the buyer (distinct buyers).")
        load.add_argument("--country-col", default="", help="Column with the buyer's country (name or ISO code).")
        load.add_argument("--order-col", default="", help="Column with the order number (lines of one order count once).")
        load.add_argument("--tz", default="", help="Zone of naive timestamps, e.g. Europe/London.")
        load.add_argument("--country", default="", help="Country of every line, for a file with no country column.")
        load.add_argument("--drop-negative", action="store_true", help="Leave out refunds and cancellations.")
        sub.add_parser("aggregate", help="Rebuild the buckets of the shop's own paid orders.")
        ahead = sub.add_parser("forecast", help="Expected orders and GMV per 15-minute slot.")
        ahead.add_argument("--as-of", default=None, help="Pretend now is this instant (ISO 8601); only earlier history is used.")
        ahead.add_argument("--horizon", default="7d")
        ahead.add_argument("--json", action="store_true")
        ahead.add_argument("--accuracy", action="store_true",
                           help="Instead: MAE and MASE against the seasonal-naive forecast, week by week.")
        ahead.add_argument("--weeks", type=int, default=12, help="With --accuracy: how many last complete weeks.")
        warn = sub.add_parser("warnings", help="Predictive maintenance: stock, payment gateways, disk.")
        warn.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            return getattr(self, f"_{options['action']}")(options)
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}", returncode=2) from error

    def _import(self, options) -> None:
        spec = ImportSpec(
            **{
                key: options[key]
                for key in (
                    "ts_col",
                    "amount_col",
                    "qty_col",
                    "price_col",
                    "customer_col",
                    "country_col",
                    "order_col",
                    "tz",
                    "country",
                    "drop_negative",
                )
            }
        )
        result = services.import_traffic(
            Path(options["file"]), spec, progress=progress_bar(lambda text: self.stderr.write(text, ending=""))
        )
        if not result.created:
            self.stdout.write(f"already imported as {result.source}: nothing changed ({result.buckets} buckets)")
            return
        self.stdout.write(
            f"imported {result.lines} lines into {result.buckets} buckets as {result.source}; "
            f"GMV {result.gmv}; {result.dropped_negative} negative lines left out; "
            f"countries: {', '.join(result.countries) or '-'}"
        )

    def _warnings(self, options) -> None:
        alerts = services.maintenance_warnings()
        if options["json"]:
            self.stdout.write(json.dumps([a.as_dict() for a in alerts], ensure_ascii=False))
            return
        if not alerts:
            self.stdout.write("no warning: no product sells, no payment attempt, no size sample yet")
        for alert in alerts:
            self.stdout.write(f"[{alert.kind}] {alert.message}")
            if alert.window:
                w = alert.window
                self.stdout.write(
                    f"    best window before then: {w['starts_at']} – {w['ends_at']}, cost {w['cost']}: {w['reason']}"
                )
            elif alert.window_note:
                self.stdout.write(f"    {alert.window_note}")

    def _aggregate(self, options) -> None:
        self.stdout.write(f"{services.aggregate_orders()} buckets of shop orders")

    def _forecast(self, options) -> None:
        if options["accuracy"]:
            from yongxu.planner import accuracy

            result = services.forecast_accuracy(weeks=options["weeks"])
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) if options["json"] else accuracy.markdown(result))
            return
        horizon = services.parse_duration(options["horizon"])
        model, ahead = services.forecast_traffic(as_of=parse_eta(options["as_of"]), horizon=horizon)
        rows = [
            {
                "start": t.isoformat(),
                "orders": round(float(o), 3),
                "gmv": round(float(g), 2),
                "gmv_low": round(float(lo), 2),
                "gmv_high": round(float(hi), 2),
            }
            for t, o, g, lo, hi in zip(
                ahead.times, ahead.values["orders"], ahead.values["gmv"], ahead.low["gmv"], ahead.high["gmv"], strict=True
            )
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"model": model.explain(), "slots": rows}, ensure_ascii=False))
            return
        info = model.explain()
        self.stdout.write(
            f"forecast from {model.as_of.isoformat()} for {horizon / timedelta(days=1):g} days "
            f"({info['confidence']} confidence, {info['history_days']} days of history, zone {model.zone})"
        )
        for note in info["notes"]:
            self.stdout.write(f"  note: {note}")
        total = sum(row["gmv"] for row in rows)
        self.stdout.write(
            f"  expected GMV {total:.2f} (80 % interval per slot shown); level ×{info['level']}; "
            f"holiday ratio {info['holiday_ratio']}"
        )
        for row in rows:
            self.stdout.write(
                f"{row['start']}  orders {row['orders']:8.2f}  gmv {row['gmv']:10.2f}  "
                f"[{row['gmv_low']:.2f} – {row['gmv_high']:.2f}]"
            )
