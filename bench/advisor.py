"""Window advisor benchmark on the shared real data set: fit time per amount of history, advise time,
the forecast's accuracy against seasonal naive (MAE, MASE per week) and the realised-regret tables
(round the clock, and inside staff hours 09:00–18:00 London, where windows compete with sales). Prints Markdown with the machine.

    .venv/bin/python bench/advisor.py [--quick]

Uses a throw-away SQLite database in a temporary folder; the data set is read from ../shared/data/."""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import time as dt_time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "online_retail_2010_2011.parquet"


def timed(fn, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Fewer repeats and 4 backtest weeks.")
    args = parser.parse_args()
    repeats, weeks = (3, 4) if args.quick else (10, 12)
    folder = tempfile.mkdtemp(prefix="yx-bench-advisor-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yongxu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from yongxu.planner import accuracy, advisor, backtest, cli, forecast
    from yongxu.planner.history import load_history
    from yongxu.planner.importer import ImportSpec, import_file

    call_command("migrate", verbosity=0)
    spec = ImportSpec(
        ts_col="InvoiceDate",
        qty_col="Quantity",
        price_col="UnitPrice",
        customer_col="CustomerID",
        country_col="Country",
        order_col="InvoiceNo",
        tz="Europe/London",
        drop_negative=True,
    )
    started = time.perf_counter()
    result = import_file(DATA, spec)
    import_seconds = time.perf_counter() - started
    load_seconds = timed(load_history, repeats)
    history = load_history()
    zone = "Europe/London"
    print(f"## Window advisor on the real data set\n\nMachine: {machine()}\n")
    print(
        f"Import: {result.lines} lines → {result.buckets} buckets in {import_seconds:.2f} s; "
        f"loading the history from the database: {load_seconds * 1000:.0f} ms\n"
    )
    print("| history used | fit (median) | fit per year of history | one advice, 2 h within 14 d (median) |")
    print("|---|---:|---:|---:|")
    as_of = history.end
    for weeks_used in (13, 26, 52):
        config = forecast.Config(fit_weeks=weeks_used)
        fit_seconds = timed(lambda c=config: forecast.fit(history, as_of=as_of, zone=zone, config=c), repeats)
        model = forecast.fit(history, as_of=as_of, zone=zone, config=config)
        request = advisor.Request(duration=timedelta(hours=2), within=timedelta(days=14), as_of=as_of)
        advise_seconds = timed(lambda m=model, r=request: advisor.advise(m, r), repeats)
        print(
            f"| {weeks_used} weeks | {fit_seconds * 1000:.0f} ms | {fit_seconds / (weeks_used / 52) * 1000:.0f} ms | "
            f"{advise_seconds * 1000:.0f} ms |"
        )
    started = time.perf_counter()
    regret = backtest.run(history, zone=zone, duration=timedelta(hours=2), weeks=weeks)
    print(f"\n### Realised regret, 2 h windows, last {weeks} weeks ({time.perf_counter() - started:.1f} s)\n")
    print(cli.markdown(regret))
    started = time.perf_counter()
    staffed = backtest.run(history, zone=zone, duration=timedelta(hours=2), weeks=weeks,
                           staff_hours=(dt_time(9), dt_time(18)), staff_tz=zone)
    print(f"\n### Realised regret inside staff hours 09:00–18:00 {zone}, 2 h windows, last {weeks} weeks "
          f"({time.perf_counter() - started:.1f} s)\n")
    print(cli.markdown(staffed))
    started = time.perf_counter()
    scores = accuracy.run(history, zone=zone, weeks=weeks)
    print(f"\n### Forecast accuracy, hourly GMV, last {weeks} weeks ({time.perf_counter() - started:.1f} s)\n")
    print(accuracy.markdown(scores))
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
