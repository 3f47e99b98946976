"""The maintenance page under load, and with its database gone.

One gunicorn server (1 worker, gthread, 1 thread; Yongxu's own settings and URLs) on a dedicated
PostgreSQL database (``yongxu_bench_page``, created here through ``psql -h 127.0.0.1 -U postgres``) with
full maintenance on. Part 1 drives ``GET /`` (503, the pre-rendered maintenance page) and ``GET /healthz``
(a trivial 200 view) in alternating rounds and reports the page's requests/s as a ratio of the trivial
view's (goal, issue 4: >= 0.8), with the server's CPU per request and the bytes it writes to its log.

Part 2 shows the page needs no database: once the page is warm, the database's connections are
terminated and the database is dropped (the machine's PostgreSQL itself is never stopped). Then
``GET /`` must still answer 503 with the page (the snapshot and the page are in memory), the JSON form
too, ``/healthz`` 200, the page is measured again, and ``$YONGXU_VAR_DIR/maintenance/<lang>.html`` — what
nginx serves when the app is down — must exist with the public reason. A request carrying a session
cookie is tried as well (a signed-in buyer).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    BenchError,
    Server,
    base_env,
    create_database,
    drop_database,
    get,
    load,
    machine,
    machine_markdown,
    table,
    write_results,
    yongxu,
)

DATABASE = "yongxu_bench_page"
REASON = "Bench: upgrading the database"
GOAL = 0.8
LANGUAGES = ("en", "zh-hans")


def measure(server: Server, seconds: float, rounds: int, connections: int) -> dict:
    targets = {"page": "/", "healthz": "/healthz"}
    rps: dict[str, list[float]] = {name: [] for name in targets}
    cpu: dict[str, list[float]] = {name: [] for name in targets}
    log_bytes: dict[str, list[float]] = {name: [] for name in targets}
    lines_per_request: dict[str, list[float]] = {name: [] for name in targets}
    problems: list[str] = []
    for number in range(rounds):
        for name in (("page", "healthz") if number % 2 == 0 else ("healthz", "page")):
            cpu_before, log_before = server.cpu_seconds(), server.log.stat().st_size
            result = load(server.port, targets[name], seconds=seconds, connections=connections,
                          headers={"Accept": "text/html", "Accept-Language": "en"})
            requests = max(result.requests, 1)
            cpu[name].append(round((server.cpu_seconds() - cpu_before) / requests * 1e6, 1))
            log_bytes[name].append(round((server.log.stat().st_size - log_before) / requests, 1))
            rps[name].append(round(result.rps, 1))
            lines_per_request[name].append(round(_count(server.log, log_before, "Service Unavailable") / requests, 2))
            expected_non_2xx = result.requests if name == "page" else 0
            if result.errors or result.non_2xx != expected_non_2xx:
                problems.append(f"{name} round {number + 1}: {result.non_2xx}/{result.requests} non-2xx, {result.errors} errors")
            print(f"round {number + 1}/{rounds} {name:<8} {result.rps:8.1f} req/s {cpu[name][-1]:7.1f} µs CPU/request",
                  file=sys.stderr)
    median = {name: statistics.median(values) for name, values in rps.items()}
    return {"rps": rps, "cpu_us": cpu, "log_bytes_per_request": log_bytes, "log_503_lines_per_request": lines_per_request,
            "median_rps": median,
            "median_cpu_us": {name: statistics.median(values) for name, values in cpu.items()},
            "ratio": median["page"] / median["healthz"], "problems": problems}


def _count(log: Path, offset: int, text: str) -> int:
    with log.open("rb") as handle:
        handle.seek(offset)
        return handle.read().decode(errors="replace").count(text)


def check(name: str, ok: bool, detail: str, checks: list[dict]) -> None:
    checks.append({"check": name, "ok": ok, "detail": detail})
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", file=sys.stderr)


def without_database(server: Server, var_dir: Path, seconds: float, connections: int) -> tuple[list[dict], dict]:
    checks: list[dict] = []
    log_start = server.log.stat().st_size
    drop_database(DATABASE)
    time.sleep(2.5)  # past the gate's once-a-second version check
    status, body = get(server.port, "/", {"Accept": "text/html"})
    check("GET / with the database dropped", status == 503 and REASON in body, f"{status}, {len(body)} bytes, "
          f"public reason {'shown' if REASON in body else 'missing'}", checks)
    status, body = get(server.port, "/", {"Accept": "application/json"})
    check("GET / as JSON", status == 503 and '"maintenance"' in body, f"{status} {body[:80]}", checks)
    status, _ = get(server.port, "/healthz")
    check("GET /healthz", status == 200, str(status), checks)
    for language in LANGUAGES:
        static = var_dir / "maintenance" / f"{language}.html"
        present = static.is_file() and REASON in static.read_text(encoding="utf-8")
        check(f"static copy {static.relative_to(var_dir.parent)}", present,
              f"{static.stat().st_size} bytes" if static.is_file() else "missing", checks)
    before = server.log.stat().st_size
    status, body = get(server.port, "/", {"Accept": "text/html", "Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"})
    with server.log.open("rb") as log:
        log.seek(before)
        excerpt = log.read().decode(errors="replace")
    said = [line for line in excerpt.splitlines() if "failed open" in line]
    check("GET / with a session cookie (a signed-in buyer)", status == 503,
          f"{status}, {len(body)} bytes{'; log: ' + said[0].strip() if said else ''}", checks)
    checks[-1]["log"] = excerpt[-6000:]
    result = load(server.port, "/", seconds=seconds, connections=connections, headers={"Accept": "text/html"})
    check("page under load with the database dropped", result.non_2xx == result.requests and not result.errors,
          f"{result.rps:.0f} req/s, {result.non_2xx}/{result.requests} answered 503", checks)
    time.sleep(6)  # past the gate's database poll interval too
    status, body = get(server.port, "/", {"Accept": "text/html"})
    check("GET / 6 s later", status == 503 and REASON in body, str(status), checks)
    with server.log.open("rb") as log:
        log.seek(log_start)
        text = log.read().decode(errors="replace")
    check("server log while the database was gone", "Traceback" not in text,
          f"{text.count('Traceback')} tracebacks, {text.count('failed open')} 'gate failed open'", checks)
    return checks, {"rps": round(result.rps, 1)}


def report(result: dict, info: dict, args: argparse.Namespace) -> str:
    part1 = result["load"]
    rows = [[label, f"{part1['median_rps'][name]:.0f}", f"{min(part1['rps'][name]):.0f}–{max(part1['rps'][name]):.0f}",
             f"{part1['median_cpu_us'][name]:.0f}", f"{statistics.median(part1['log_bytes_per_request'][name]):.0f}"]
            for name, label in (("page", "`GET /` → 503 maintenance page"), ("healthz", "`GET /healthz` → 200"))]
    rows.append(["`GET /` → 503, database dropped", f"{result['no_database']['rps']:.0f}", "", "", ""])
    ratio = part1["ratio"]
    checks = result["checks"]
    lines = [f"### Maintenance page ({args.rounds} rounds × {args.duration:g} s, wrk -c{args.connections}, "
             "gunicorn 1 worker gthread 1 thread, PostgreSQL, full maintenance on)", "",
             table(["Request", "Median req/s", "Range", "Server CPU µs/request", "Log bytes/request"], rows), "",
             f"Page/trivial view: **{ratio:.2f}** (goal ≥ {GOAL}: **{'met' if ratio >= GOAL else 'not met'}**). "
             f"Page size {result['page_bytes']} bytes. Django logged "
             f"{statistics.median(part1['log_503_lines_per_request']['page']):.2f} ERROR line(s) "
             "(\"Service Unavailable: /\", logger django.request) per maintenance-page request.", "",
             table(["With the database dropped", "Result", "Detail"],
                   [[c["check"], "ok" if c["ok"] else "**FAIL**", c["detail"]] for c in checks]), "",
             machine_markdown(info)]
    if part1["problems"]:
        lines += ["", "Problems: " + "; ".join(part1["problems"])]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=None, help="seconds per measurement (default 5; quick 2)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per request kind (default 6; quick 2)")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive connections (default 4)")
    parser.add_argument("--quick", action="store_true", help="2 s × 2 rounds")
    args = parser.parse_args()
    args.duration = args.duration or (2 if args.quick else 5)
    args.rounds = args.rounds or (2 if args.quick else 6)
    info = machine()
    server: Server | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="yongxu-page-") as tmp:
            var_dir = Path(tmp) / "var"
            env = base_env(var_dir, DATABASE_URL=create_database(DATABASE))
            yongxu(["migrate", "--noinput"], env)
            yongxu(["maintenance", "on", "--level", "full", "--public-reason", REASON, "--eta", "+2h"], env)
            server = Server("page", env).start("/healthz")
            status, body = get(server.port, "/", {"Accept": "text/html"})
            if status != 503 or REASON not in body:
                raise BenchError(f"GET / answered {status} without the maintenance page")
            load(server.port, "/", seconds=2, connections=args.connections)  # warm-up
            result = {"page_bytes": len(body.encode()), "load": measure(server, args.duration, args.rounds, args.connections)}
            result["checks"], result["no_database"] = without_database(server, var_dir, args.duration, args.connections)
            server.stop()
            result["server_log_tail"] = server.log.read_text(errors="replace")[-3000:]
    except BenchError as exc:
        print(f"maintenance_page could not run: {exc}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            server.stop()
        drop_database(DATABASE)
    markdown = report(result, info, args)
    path = write_results("maintenance_page", {"machine": info, "args": vars(args), **result, "markdown": markdown})
    print(markdown)
    print(f"\nJSON: {path.relative_to(Path(__file__).resolve().parent.parent)}")
    failed = result["load"]["problems"] or not all(c["ok"] for c in result["checks"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
