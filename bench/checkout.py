"""Checkout benchmark: the whole buy-pay-deliver path over HTTP against a real gunicorn server.

For SQLite and then PostgreSQL (skipped, with the reason, when it cannot be reached) the script sets up a
fresh demo shop in a temporary directory, adds a ``bench-card`` product with enough keys, starts gunicorn
(gthread) on a free 127.0.0.1 port in 8100-8199 and drives, with 1, 8 and 32 concurrent clients, this
checkout: create the order, start an Epay payment, send the gateway's signed notification as a real Epay
gateway would, read the order back delivered with its key. It prints orders/s, p50/p99 latencies, errors,
the server's CPU per checkout and peak memory, checks that nothing was oversold, prints ratios measured in
the same run (PostgreSQL/SQLite, 8/1 and 32/1 clients), writes bench/results/checkout-<time>.json and a
Markdown table for the README. Standard library only; see bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import itertools
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_URL = "postgres://postgres@127.0.0.1:5432/yongxu_bench"
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qAtc"]
TICKS = os.sysconf("SC_CLK_TCK")

# Run inside the shop (`yongxu shell -c`); each prints one "BENCH{json}" line.
SETUP_PRODUCT = """
import json, os, secrets
from decimal import Decimal
from yongxu.catalog.models import Category, Product
from yongxu.inventory.services import import_keys
product, _ = Product.objects.get_or_create(slug="bench-card", defaults=dict(
    category=Category.objects.get(slug="game-cards"), name="Bench card", price=Decimal("1.00"), currency="CNY",
    min_quantity=1, max_quantity=1, per_email_limit=0, low_stock_threshold=0))
lines = [f"BENCH-{i:06d}-{secrets.token_hex(6).upper()}" for i in range(int(os.environ["BENCH_KEYS"]))]
print("BENCH" + json.dumps({"added": import_keys(product, lines, actor="system:bench").added}))
"""
CHECK_STOCK = """
import json
from django.db.models import Count, F, Q, Sum
from yongxu.inventory.models import CardKey
from yongxu.orders.models import Order
from yongxu.payments.models import Payment
sold = CardKey.objects.filter(product__slug="bench-card", status="sold").order_by()
orders = Order.objects.filter(product__slug="bench-card").order_by()
delivered = orders.filter(status="delivered")
print("BENCH" + json.dumps({
    "keys_sold": sold.count(), "keys_of_delivered_orders": sold.filter(order__status="delivered").count(),
    "orders_delivered": delivered.count(), "units_delivered": delivered.aggregate(n=Sum("quantity"))["n"] or 0,
    "payments_succeeded": Payment.objects.filter(order__product__slug="bench-card", status="succeeded").count(),
    "orders_by_status": dict(orders.values_list("status").annotate(n=Count("id"))),
    "delivered_orders_with_wrong_key_count": delivered.annotate(
        k=Count("keys", filter=Q(keys__status="sold"))).exclude(k=F("quantity")).count(),
    "duplicate_sold_keys": sold.values("fingerprint").annotate(n=Count("id")).filter(n__gt=1).count()}))
"""


class BenchError(Exception):
    pass


@dataclass
class Level:
    clients: int
    checkouts: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    orders_per_s: float = 0.0
    checkout_ms: dict[str, float] = field(default_factory=dict)
    notify_ms: dict[str, float] = field(default_factory=dict)
    server_cpu_ms_per_checkout: float = 0.0  # gunicorn processes only (not PostgreSQL's)
    client_cpu_ms_per_checkout: float = 0.0  # this load generator, on the same cores
    peak_rss_mib: float = 0.0
    hit_time_limit: bool = False


@dataclass
class Run:
    database: str
    setup_seconds: float = 0.0
    levels: list[Level] = field(default_factory=list)
    vmhwm_sum_mib: float = 0.0
    stock: dict = field(default_factory=dict)
    oversell_ok: bool = False


# --- the server's process tree, from /proc ------------------------------------------------------------

def tree_usage(root: int) -> tuple[int, int, float]:
    """Summed VmRSS and VmHWM (KiB) and CPU seconds (user + system) of ``root`` and its descendants."""
    stats: dict[int, list[str]] = {}
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        try:
            stats[int(entry.name)] = fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    rss = hwm = ticks = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
        except OSError:
            continue
        rss, hwm = rss + int(status["VmRSS"].split()[0]), hwm + int(status["VmHWM"].split()[0])
        ticks += int(stats[pid][11]) + int(stats[pid][12]) if pid in stats else 0
    return rss, hwm, ticks / TICKS


class MemorySampler(threading.Thread):
    """Samples the summed VmRSS of the server's process tree every 0.2 s; ``take_peak`` resets."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak_kib, self.stopped = root, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            self.peak_kib = max(self.peak_kib, tree_usage(self.root)[0])

    def take_peak(self) -> float:
        peak, self.peak_kib = self.peak_kib, 0
        return round(peak / 1024, 1)


# --- one buyer, and the gateway ---------------------------------------------------------------------------

def epay_sign(params: dict[str, str], key: str) -> str:
    text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k not in ("sign", "sign_type") and params[k] != "")
    return hashlib.md5((text + key).encode()).hexdigest()  # noqa: S324 - Epay's protocol


class Client:
    """One buyer on one keep-alive connection; also plays the gateway for its own payments."""

    def __init__(self, port: int, epay_key: str) -> None:
        self.conn, self.epay_key = http.client.HTTPConnection("127.0.0.1", port, timeout=60), epay_key

    def call(self, method: str, path: str, payload: dict | None = None) -> tuple[int, bytes]:
        body = json.dumps(payload).encode() if payload is not None else None
        try:
            self.conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()  # the next request opens a new connection
            raise BenchError(f"{method} {path.split('?')[0]}: {type(exc).__name__}: {exc}") from exc

    def expect(self, status: int, method: str, path: str, payload: dict | None = None) -> dict:
        got, body = self.call(method, path, payload)
        if got != status:
            raise BenchError(f"{method} {path[:40]}: HTTP {got} {body[:160]!r}")
        return json.loads(body)

    def checkout(self, n: int, tag: str) -> tuple[float, float, list[str]]:
        """One whole checkout; returns (seconds, notification seconds, delivered keys)."""
        start = time.perf_counter()
        order = self.expect(201, "POST", "/api/v1/orders",
                            {"product": "bench-card", "quantity": 1, "email": f"bench-{tag}-{n}@example.com"})
        redirect = self.expect(201, "POST", f"/api/v1/orders/{order['token']}/payments", {"provider": "epay"})
        query = dict(parse_qsl(urlsplit(redirect["redirect_url"]).query))
        params = {"pid": query["pid"], "trade_no": f"BT{tag}{n:07d}", "out_trade_no": query["out_trade_no"],
                  "type": query["type"], "name": query["name"], "money": query["money"], "trade_status": "TRADE_SUCCESS"}
        params |= {"sign": epay_sign(params, self.epay_key), "sign_type": "MD5"}
        notify_start = time.perf_counter()
        status, body = self.call("GET", "/pay/notify/epay/?" + urlencode(params))
        notify = time.perf_counter() - notify_start
        if status != 200 or body != b"success":
            raise BenchError(f"notify: HTTP {status} {body[:160]!r}")
        final = self.expect(200, "GET", f"/api/v1/orders/{order['token']}")
        if final["status"] != "delivered" or len(final["items"] or []) != 1:
            raise BenchError(f"order {order['number']} is {final['status']} with {final['items']!r}")
        return time.perf_counter() - start, notify, final["items"]


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    at = lambda q: round(ordered[max(0, -(-len(ordered) * q // 100) - 1)] * 1000, 1)  # noqa: E731 - nearest rank
    return {"p50": at(50), "p99": at(99), "max": at(100)} if ordered else {}


def drive(port: int, epay_key: str, server: int, clients: int, orders: int, time_limit: float, tag: str,
          keys: list[str]) -> Level:
    """Run ``orders`` checkouts with ``clients`` threads, stopping early after ``time_limit`` seconds."""
    level, lock, numbers, totals, notifies = Level(clients=clients), threading.Lock(), itertools.count(), [], []
    deadline = time.monotonic() + time_limit

    def buyer() -> None:
        client = Client(port, epay_key)
        while True:
            with lock:
                n = next(numbers)
                if n >= orders or time.monotonic() > deadline:
                    level.hit_time_limit |= n < orders
                    break
            try:
                total, notify, items = client.checkout(n, tag)
            except (BenchError, KeyError, ValueError) as exc:
                with lock:
                    level.errors += 1
                    level.error_samples = [*level.error_samples, str(exc)[:300]][:5]
                continue
            with lock:
                totals.append(total)
                notifies.append(notify)
                keys.extend(items)
        client.conn.close()

    cpu, own_cpu, started = tree_usage(server)[2], time.process_time(), time.perf_counter()
    threads = [threading.Thread(target=buyer) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.seconds, level.checkouts = round(time.perf_counter() - started, 2), len(totals)
    if totals:
        level.orders_per_s = round(len(totals) / level.seconds, 2)
        level.server_cpu_ms_per_checkout = round((tree_usage(server)[2] - cpu) * 1000 / len(totals), 1)
        level.client_cpu_ms_per_checkout = round((time.process_time() - own_cpu) * 1000 / len(totals), 1)
    level.checkout_ms, level.notify_ms = percentiles(totals), percentiles(notifies)
    return level


# --- one database -------------------------------------------------------------------------------------------

def free_port() -> int:
    for port in range(8100, 8200):
        with socket.socket() as probe, contextlib.suppress(OSError):
            probe.bind(("127.0.0.1", port))
            return port
    raise BenchError("no free port in 8100-8199")


def shell_json(env: dict[str, str], *command: str) -> dict:
    """Run a `yongxu` command; return the JSON of its last "BENCH" line (or {})."""
    done = subprocess.run([PYTHON, "-m", "yongxu.cli", *command], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    if done.returncode != 0:
        raise BenchError(f"yongxu {command[0]} failed:\n{done.stderr[-2000:]}")
    lines = [line[5:] for line in done.stdout.splitlines() if line.startswith("BENCH")]
    return json.loads(lines[-1]) if lines else {}


def psql(sql: str) -> None:
    subprocess.run([*PSQL, sql], check=True, capture_output=True, text=True, timeout=60,
                   env={**os.environ, "PGCONNECT_TIMEOUT": "5"})


def postgres_unreachable() -> str | None:
    try:
        psql("SELECT 1")
    except (OSError, subprocess.SubprocessError) as exc:  # no psql, refused, timed out
        return f"PostgreSQL at 127.0.0.1:5432 is unreachable: {(getattr(exc, 'stderr', '') or str(exc)).strip()[:200]}"
    return None


def start_server(env: dict[str, str], port: int, args: argparse.Namespace, log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        server = subprocess.Popen([PYTHON, "-m", "gunicorn", "yongxu.wsgi", "--bind", f"127.0.0.1:{port}",
                                   "--workers", str(args.workers), "--worker-class", "gthread", "--threads",
                                   str(args.threads), "--graceful-timeout", "5"],
                                  env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        with contextlib.suppress(OSError), contextlib.closing(http.client.HTTPConnection("127.0.0.1", port, timeout=2)) as conn:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        time.sleep(0.2)
    stop(server)
    raise BenchError(f"gunicorn did not become ready (exit {server.returncode}):\n{log.read_text()[-2000:]}")


def stop(server: subprocess.Popen) -> None:
    """Stop gunicorn's whole process group (it has its own session)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def bench_database(name: str, args: argparse.Namespace) -> Run:
    run, tmp, port = Run(database=name), Path(tempfile.mkdtemp(prefix=f"yongxu-bench-{name}-")), free_port()
    epay_key, warmup = secrets.token_hex(16), args.workers * args.threads
    env = {**os.environ, "PORT": str(port), "YONGXU_SITE_URL": f"http://127.0.0.1:{port}", "EPAY_PID": "1000",
           "EPAY_KEY": epay_key, "YONGXU_VAR_DIR": str(tmp), "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "yongxu.settings", "BENCH_KEYS": str(warmup + args.orders * len(args.clients)),
           # Every simulated buyer comes from 127.0.0.1: the per-client order limits would stop the run.
           "YONGXU_ORDERS_PER_CLIENT": "1000000", "YONGXU_UNPAID_ORDERS_PER_CLIENT": "1000000"}
    env.pop("DATABASE_URL", None)
    if name == "postgresql":
        env["DATABASE_URL"] = PG_URL
        psql("DROP DATABASE IF EXISTS yongxu_bench WITH (FORCE)")
        psql("CREATE DATABASE yongxu_bench")
    server: subprocess.Popen | None = None
    try:
        started = time.perf_counter()
        shell_json(env, "demo", "--no-serve")
        shell_json(env, "shell", "-c", SETUP_PRODUCT)
        run.setup_seconds = round(time.perf_counter() - started, 1)
        server = start_server(env, port, args, tmp / "gunicorn.log")
        sampler, keys = MemorySampler(server.pid), []
        sampler.start()
        # Warm-up, not reported: every worker process loads its lazily imported code and templates.
        warm = drive(port, epay_key, server.pid, warmup, warmup, args.max_seconds, "w", keys)
        sampler.take_peak()
        for index, clients in enumerate(args.clients):
            level = drive(port, epay_key, server.pid, clients, args.orders, args.max_seconds, f"{index}c{clients}", keys)
            level.peak_rss_mib = sampler.take_peak()
            run.levels.append(level)
            print(f"  {name:10} {clients:3} clients: {level.checkouts:4} checkouts {level.orders_per_s:6.1f}/s, "
                  f"p50 {level.checkout_ms.get('p50', 0):6.0f} ms, p99 {level.checkout_ms.get('p99', 0):6.0f} ms, "
                  f"server CPU {level.server_cpu_ms_per_checkout:.0f} ms/checkout, errors {level.errors}", flush=True)
            for sample in level.error_samples:
                print(f"      error: {sample}")
        sampler.stopped.set()
        run.vmhwm_sum_mib = round(tree_usage(server.pid)[1] / 1024, 1)
        s = run.stock = shell_json(env, "shell", "-c", CHECK_STOCK)
        succeeded = warm.checkouts + sum(level.checkouts for level in run.levels)
        s |= {"checkouts_succeeded": succeeded, "keys_received": len(keys),
              "duplicate_keys_received": len(keys) - len(set(keys))}
        run.oversell_ok = (s["keys_sold"] == s["keys_of_delivered_orders"] == s["units_delivered"]
                           == s["orders_delivered"] == s["payments_succeeded"] == len(keys) == succeeded
                           and not s["duplicate_sold_keys"] and not s["delivered_orders_with_wrong_key_count"]
                           and not s["duplicate_keys_received"])
    finally:
        if server is not None:
            stop(server)
        if name == "postgresql":
            psql("DROP DATABASE IF EXISTS yongxu_bench WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)
    return run


# --- the report ------------------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    git = shutil.which("git")
    commit = subprocess.run([git, "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() if git else ""
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu, "python": platform.python_version(),
            "memory_gib": round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2, 1),
            "kernel": platform.release(), "commit": commit or "?", "loadavg_at_start": os.getloadavg()[0]}


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def ratios(runs: list[Run]) -> dict:
    out: dict = {"scaling": {run.database: {f"{lv.clients}/{run.levels[0].clients}":
                                            ratio(lv.orders_per_s, run.levels[0].orders_per_s)
                                            for lv in run.levels[1:]} for run in runs if run.levels},
                 "postgresql_over_sqlite": {}}
    by_name = {run.database: run for run in runs}
    if {"sqlite", "postgresql"} <= by_name.keys():
        for lite, pg in zip(by_name["sqlite"].levels, by_name["postgresql"].levels, strict=False):
            out["postgresql_over_sqlite"][str(lite.clients)] = {
                "orders_per_s": ratio(pg.orders_per_s, lite.orders_per_s),
                "checkout_p50": ratio(pg.checkout_ms.get("p50", 0), lite.checkout_ms.get("p50", 0)),
                "notify_p50": ratio(pg.notify_ms.get("p50", 0), lite.notify_ms.get("p50", 0)),
                "server_cpu": ratio(pg.server_cpu_ms_per_checkout, lite.server_cpu_ms_per_checkout)}
    return out


def markdown(result: dict, runs: list[Run]) -> str:
    m, cfg = result["machine"], result["config"]
    lines = [f"Checkout benchmark {result['started'][:16]}, commit {m['commit']}: {m['nproc']} × {m['cpu']}, "
             f"{m['memory_gib']} GiB RAM, Python {m['python']}, load {m['loadavg_at_start']:.2f} at start; gunicorn "
             f"{cfg['workers']} workers × {cfg['threads']} threads (gthread), DB_CONN_MAX_AGE={cfg['db_conn_max_age']}; "
             f"{cfg['orders']} checkouts per level.", "",
             "| Database | Clients | Checkouts | Orders/s | × 1 client | Checkout p50 / p99 ms | Notify p50 / p99 ms "
             "| Server CPU ms/checkout | Errors | Peak RSS MiB |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for run in runs:
        for lv in run.levels:
            c, n = lv.checkout_ms, lv.notify_ms
            lines.append(f"| {run.database} | {lv.clients} | {lv.checkouts}{' (time limit)' * lv.hit_time_limit} | "
                         f"{lv.orders_per_s:.1f} | {ratio(lv.orders_per_s, run.levels[0].orders_per_s) or 0:.2f} | "
                         f"{c.get('p50', 0):.0f} / {c.get('p99', 0):.0f} | {n.get('p50', 0):.0f} / {n.get('p99', 0):.0f}"
                         f" | {lv.server_cpu_ms_per_checkout:.0f} | {lv.errors} | {lv.peak_rss_mib:.0f} |")
    if pg_lite := result["ratios"]["postgresql_over_sqlite"]:
        lines += ["", "| Clients | PostgreSQL / SQLite: orders/s | checkout p50 | notify p50 | server CPU |",
                  "|--:|--:|--:|--:|--:|"]
        lines += [f"| {clients} | {r['orders_per_s']} | {r['checkout_p50']} | {r['notify_p50']} | {r['server_cpu']} |"
                  for clients, r in pg_lite.items()]
    lines.append("")
    for run in runs:
        s = run.stock
        lines.append(f"Oversell check, {run.database}: {'passed' if run.oversell_ok else 'FAILED'} — "
                     f"{s['keys_sold']} keys sold, {s['keys_of_delivered_orders']} to delivered orders, "
                     f"{s['orders_delivered']} orders delivered, {s['keys_received']} keys received, "
                     f"{s['duplicate_keys_received'] + s['duplicate_sold_keys']} duplicates; "
                     f"server VmHWM sum {run.vmhwm_sum_mib:.0f} MiB.")
    lines += [f"{name} skipped: {reason}." for name, reason in result["skipped"].items()]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200, help="checkouts per concurrency level (default 200)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 30 checkouts per level, 60 s limit")
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32],
                        help="concurrency levels, comma-separated (default 1,8,32)")
    parser.add_argument("--max-seconds", type=float, default=180, help="time limit per level (default 180)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)),
                        help="gunicorn workers (default $WEB_CONCURRENCY or 3, as `yongxu demo`)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="default sqlite,postgresql")
    args = parser.parse_args()
    if unknown := set(args.databases.split(",")) - {"sqlite", "postgresql"}:
        parser.error(f"unknown database {', '.join(sorted(unknown))}")
    if args.quick:
        args.orders, args.max_seconds = 30, 60
    result: dict = {"started": datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine(),
                    "config": {**{k: v for k, v in vars(args).items() if k != "quick"}, "quick": args.quick,
                               "db_conn_max_age": os.environ.get("DB_CONN_MAX_AGE", "0"),
                               "redis": bool(os.environ.get("REDIS_URL"))}, "skipped": {}}
    runs: list[Run] = []
    for name in args.databases.split(","):
        if name == "postgresql" and (reason := postgres_unreachable()):
            print(f"Skipping PostgreSQL: {reason}")
            result["skipped"][name] = reason
            continue
        print(f"{name}: setting up a fresh demo shop…", flush=True)
        try:
            runs.append(bench_database(name, args))
        except BenchError as exc:
            print(f"{name}: the benchmark could not run: {exc}", file=sys.stderr)
            return 2
        print(f"  oversell check: {'passed' if runs[-1].oversell_ok else 'FAILED'} {runs[-1].stock}", flush=True)
    result |= {"runs": [asdict(run) for run in runs], "ratios": ratios(runs)}
    out = ROOT / "bench" / "results" / f"checkout-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nResult written to {out.relative_to(ROOT)}\n\n{markdown(result, runs)}")
    return 1 if any(not run.oversell_ok or any(lv.errors for lv in run.levels) for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
