"""Gate overhead: what Yongxu's maintenance gate costs a minimal Django request, compared with no gate and
with django-maintenance-mode's middleware, measured in one run.

Four gunicorn servers (1 worker, gthread, 1 thread each; same settings module bench/gate_settings.py, same
URL configuration bench/gate_urls.py, embedded SQLite in a temporary directory) serve ``GET /bench/ping``
("ok", capability ``browse``):

- ``none``: no maintenance middleware;
- ``ours``: Yongxu's MaintenanceGateMiddleware, no maintenance on (the everyday case);
- ``ours-readonly``: the same with ``readonly`` maintenance on, so the gate looks up the route's capability
  on every request (``browse`` stays open, so the view still answers "ok");
- ``dmm``: django-maintenance-mode (bench/requirements.txt) with its default file backend, off.

All four run at once and idle while another is measured; ``wrk`` (or a Python keep-alive client) drives
each for ``--duration`` seconds, round after round, the order rotating every round to cancel drift. The
table gives per variant the median requests/s, the median server CPU per request (from /proc: steadier
than throughput on a shared machine) and, measured in-process, the CPU time of the middleware's own
decision per call. Goal (issue 4): ours/none >= 0.97, i.e. the gate costs at most 3 %.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import VENV_BIN, BenchError, Server, base_env, get, load, machine, machine_markdown, table, write_results, yongxu

VARIANTS = ("none", "ours", "ours-readonly", "dmm")
PATH = "/bench/ping"
GOAL = 0.97


def dmm_installed() -> bool:
    probe = subprocess.run([str(VENV_BIN / "python"), "-c", "import maintenance_mode"], capture_output=True)
    return probe.returncode == 0


# In-process: CPU time of the maintenance middleware's own decision for GET /bench/ping (no HTTP, no view).
MICRO = """
import json, os, time, django
django.setup()
from django.test import RequestFactory
from django.urls import resolve
request = RequestFactory().get("/bench/ping")
request.resolver_match = match = resolve("/bench/ping")
if os.environ["BENCH_GATE"] == "dmm":
    from maintenance_mode.http import need_maintenance_response
    call = lambda: need_maintenance_response(request)
else:
    from yongxu.maintenance.gate import MaintenanceGateMiddleware
    gate = MaintenanceGateMiddleware(lambda r: None)
    call = lambda: gate.process_view(request, match.func, match.args, match.kwargs)
assert call() in (None, False), "the gate refused /bench/ping"
n = int(os.environ["BENCH_CALLS"])
started = time.process_time()
for _ in range(n):
    call()
print("BENCH" + json.dumps((time.process_time() - started) / n * 1e6))
"""


def micro(env: dict[str, str], calls: int) -> float:
    done = subprocess.run([str(VENV_BIN / "python"), "-c", MICRO], env={**env, "BENCH_CALLS": str(calls)},
                          capture_output=True, text=True, timeout=120)
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCH")), None)
    if line is None:
        raise BenchError(f"micro-benchmark failed: {done.stderr.strip()[-800:]}")
    return round(json.loads(line[5:]), 2)


def start_servers(tmp: Path) -> dict[str, Server]:
    plain, readonly = tmp / "plain", tmp / "readonly"
    yongxu(["migrate", "--noinput"], base_env(plain))
    shutil.copytree(plain, readonly)
    yongxu(["maintenance", "on", "--level", "readonly", "--public-reason", "Bench: read-only"], base_env(readonly))
    servers: dict[str, Server] = {}
    for variant in VARIANTS:
        var_dir = readonly if variant == "ours-readonly" else plain
        gate = "ours" if variant.startswith("ours") else variant
        env = base_env(var_dir, DJANGO_SETTINGS_MODULE="bench.gate_settings", BENCH_GATE=gate)
        servers[variant] = Server(variant, env).start(PATH)
        status, body = get(servers[variant].port, PATH)
        if (status, body) != (200, "ok"):
            raise BenchError(f"{variant}: GET {PATH} answered {status} {body[:200]!r}")
    # The read-only server's gate must really be deciding: its checkout is closed.
    status, _ = get(servers["ours-readonly"].port, "/p/anything/buy/")
    if status != 503:
        raise BenchError(f"ours-readonly: checkout answered {status}, expected 503 (is the gate installed?)")
    return servers


def run(duration: float, rounds: int, connections: int, calls: int) -> dict:
    samples: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    cpu: dict[str, list[float]] = {variant: [] for variant in VARIANTS}  # server CPU µs per request
    micro_us: dict[str, float] = {}
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="yongxu-gate-") as tmp:
        servers: dict[str, Server] = {}
        try:
            servers = start_servers(Path(tmp))
            for server in servers.values():  # warm-up, not reported
                load(server.port, PATH, seconds=2, connections=connections)
            for number in range(rounds):
                order = VARIANTS[number % len(VARIANTS):] + VARIANTS[:number % len(VARIANTS)]
                for variant in order:
                    server = servers[variant]
                    before = server.cpu_seconds()
                    result = load(server.port, PATH, seconds=duration, connections=connections)
                    cpu[variant].append(round((server.cpu_seconds() - before) / max(result.requests, 1) * 1e6, 1))
                    if result.non_2xx or result.errors:
                        problems.append(f"round {number + 1} {variant}: {result.non_2xx} non-2xx, {result.errors} errors")
                    samples[variant].append(round(result.rps, 1))
                    print(f"round {number + 1}/{rounds} {variant:<14} {result.rps:8.1f} req/s "
                          f"{cpu[variant][-1]:7.1f} µs CPU/request ({result.tool})", file=sys.stderr)
            for server in servers.values():
                server.stop()
            for variant in ("ours", "ours-readonly", "dmm"):
                micro_us[variant] = micro(servers[variant].env, calls)
        finally:
            for server in servers.values():
                server.stop()
    rps = {variant: statistics.median(values) for variant, values in samples.items()}
    cpu_median = {variant: statistics.median(values) for variant, values in cpu.items()}
    return {"samples_rps": samples, "samples_cpu_us": cpu, "median_rps": rps, "median_cpu_us": cpu_median,
            "ratio_to_none": {variant: rps[variant] / rps["none"] for variant in VARIANTS},
            "cpu_ratio_to_none": {variant: cpu_median["none"] / cpu_median[variant] for variant in VARIANTS},
            # the same round's none measurement is the closest in time: less exposed to the machine's drift
            "paired_ratio_to_none": {variant: statistics.median(a / b for a, b in zip(samples[variant], samples["none"],
                                                                                        strict=True))
                                     for variant in VARIANTS},
            "middleware_cpu_us_per_call": micro_us, "problems": problems}


def report(result: dict, info: dict, args: argparse.Namespace) -> str:
    labels = {"none": "no maintenance middleware", "ours": "Yongxu gate, shop open",
              "ours-readonly": "Yongxu gate, read-only on (route open)", "dmm": "django-maintenance-mode 0.23, off"}
    rows = []
    for variant in VARIANTS:
        samples = result["samples_rps"][variant]
        rows.append([f"`{variant}`: {labels[variant]}", f"{result['median_rps'][variant]:.0f}",
                     f"{min(samples):.0f}–{max(samples):.0f}", f"{result['ratio_to_none'][variant]:.3f}",
                     f"{result['median_cpu_us'][variant]:.0f}", f"{result['cpu_ratio_to_none'][variant]:.3f}",
                     f"{result['middleware_cpu_us_per_call'].get(variant, 0):.1f}"])
    ours, ours_cpu = result["ratio_to_none"]["ours"], result["cpu_ratio_to_none"]["ours"]
    verdict = "met" if min(ours, ours_cpu) >= GOAL else "met by one measure only" if max(ours, ours_cpu) >= GOAL else "not met"
    lines = [f"### Gate overhead ({args.rounds} rounds × {args.duration:g} s per variant, wrk -c{args.connections}, "
             "gunicorn 1 worker gthread 1 thread)", "",
             table(["Variant", "Median req/s", "Range", "req/s × none", "Server CPU µs/request", "CPU × none (none/variant)",
                    "Middleware alone, CPU µs/call"], rows), "",
             f"Goal ours/none ≥ {GOAL} (≤ 3 % cost): **{verdict}** — throughput {ours:.3f} (median of per-round "
             f"ratios {result['paired_ratio_to_none']['ours']:.3f}), server CPU {ours_cpu:.3f}. "
             f"django-maintenance-mode/none: throughput {result['ratio_to_none']['dmm']:.3f} (per-round "
             f"{result['paired_ratio_to_none']['dmm']:.3f}), server CPU {result['cpu_ratio_to_none']['dmm']:.3f}. "
             f"The decision itself costs ours {result['middleware_cpu_us_per_call']['ours']:.1f} µs, "
             f"django-maintenance-mode {result['middleware_cpu_us_per_call']['dmm']:.1f} µs "
             f"(a request costs the server about {result['median_cpu_us']['none']:.0f} µs).", "",
             machine_markdown(info)]
    if result["problems"]:
        lines += ["", "Problems: " + "; ".join(result["problems"])]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=None, help="seconds per measurement (default 5; quick 2)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds over all variants (default 8; quick 3)")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive connections (default 4)")
    parser.add_argument("--calls", type=int, default=None, help="in-process middleware calls (default 50000; quick 10000)")
    parser.add_argument("--quick", action="store_true", help="2 s × 3 rounds: finishes in about a minute")
    args = parser.parse_args()
    args.duration = args.duration or (2 if args.quick else 5)
    args.rounds = args.rounds or (3 if args.quick else 8)
    args.calls = args.calls or (10000 if args.quick else 50000)
    if not dmm_installed():
        print("django-maintenance-mode is not installed, so the comparison cannot run. Install it with\n"
              "  .venv/bin/pip install -r bench/requirements.txt\nand run this again. Nothing was measured.")
        return 0
    info = machine()
    try:
        result = run(args.duration, args.rounds, args.connections, args.calls)
    except BenchError as exc:
        print(f"gate_overhead could not run: {exc}", file=sys.stderr)
        return 2
    markdown = report(result, info, args)
    path = write_results("gate_overhead", {"machine": info, "args": vars(args), **result, "markdown": markdown})
    print(markdown)
    print(f"\nJSON: {path.relative_to(Path(__file__).resolve().parent.parent)}")
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
