"""Propagation: how long after ``yongxu maintenance on`` returns until every node of a cluster answers 503,
and after ``off`` until every node answers 200 again, with Redis pub/sub and without it.

Three gunicorn nodes (separate processes and ports, 1 worker, gthread, 1 thread each) share one PostgreSQL
database (``yongxu_bench_prop``, created and dropped here through ``psql -h 127.0.0.1 -U postgres``) and Redis
(``redis://127.0.0.1:6379/9``, keys under the prefix ``benchprop``, deleted at the end). The nodes run
bench/gate_settings.py with Yongxu's gate and poll ``/bench/ping`` (capability ``browse``: closed in full
maintenance, a cheap view when open, so the loop's resolution is about a millisecond).

Each node gets live traffic throughout (one keep-alive client per node, a GET every 20 ms), because the
gate looks at the version key only when a request arrives: an idle node would look at once on the first
request after the switch and flatter the "without pub/sub" figure. For each toggle: run
``yongxu maintenance on --level full`` as a subprocess with the nodes' environment; from the moment it
returns, each node's client polls in a tight loop until that node answers 503; the toggle's time is the
last node's (a node that already answers 503 counts as one round trip). Then the same for ``off`` and 200.
The "without pub/sub" run restarts the nodes with ``BENCH_NO_PUBSUB=1`` (the bench settings replace
``channel.listen`` by a no-op), so they learn of the change only from the Redis version key they read at
most about once a second. Goals (issue 4): on-propagation <= 100 ms with pub/sub, <= 1.5 s without.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import (
    BenchError,
    Server,
    base_env,
    create_database,
    drop_database,
    machine,
    machine_markdown,
    percentile,
    table,
    write_results,
    yongxu,
)

DATABASE = "yongxu_bench_prop"
REDIS_URL = "redis://127.0.0.1:6379/9"
PREFIX = "benchprop"
PATH = "/bench/ping"
NODES = 3
TIMEOUT = 5.0  # seconds a node may take before the toggle counts as timed out
BACKGROUND = 0.02  # seconds between requests to each node while no change is awaited (live traffic)
ARMED = 0.005  # ... while the CLI runs (the change may land any moment)
GOALS = {"pubsub": 0.100, "polling": 1.5}


class Poller(threading.Thread):
    """Live traffic on one node: a GET every BACKGROUND s; every ARMED s while a change is awaited; a tight
    loop once the CLI has returned. Records when the node first answers the awaited status."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port, self.stop = port, threading.Event()
        self.lock = threading.Lock()
        self.expect: int | None = None
        self.pause = BACKGROUND
        self.found_at: float | None = None
        self.errors = 0

    def await_status(self, status: int) -> None:
        with self.lock:
            self.expect, self.pause, self.found_at = status, ARMED, None

    def hurry(self) -> None:
        """Tight loop, if the awaited status has not been seen yet."""
        with self.lock:
            if self.expect is not None:
                self.pause = 0.0

    def relax(self) -> None:
        with self.lock:
            self.expect, self.pause = None, BACKGROUND

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        while not self.stop.is_set():
            try:
                conn.request("GET", PATH)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                self.errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
                time.sleep(0.01)
                continue
            with self.lock:
                if self.expect is not None and response.status == self.expect:
                    self.found_at, self.expect, self.pause = time.monotonic(), None, BACKGROUND
                pause = self.pause
            if pause:
                time.sleep(pause)
        conn.close()


class Announcements(threading.Thread):
    """Our own subscriber to the maintenance channel: when each new version was announced (commit time)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        import redis

        self.pubsub = redis.Redis.from_url(REDIS_URL).pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(f"{PREFIX}:maintenance")
        self.last: float | None = None

    def run(self) -> None:
        with contextlib.suppress(Exception):  # ends when the bench closes the subscription
            for message in self.pubsub.listen():
                if message and message.get("type") == "message":
                    self.last = time.monotonic()


def toggle(env: dict[str, str], pollers: list[Poller], announcements: Announcements, action: str) -> dict:
    status = 503 if action == "on" else 200
    args = ["maintenance", action] + (["--level", "full", "--public-reason", "Bench toggle"] if action == "on" else [])
    announcements.last = None
    for poller in pollers:
        poller.await_status(status)
    cli_started = time.monotonic()
    yongxu(args, env)
    returned = time.monotonic()
    for poller in pollers:
        poller.hurry()  # tight loop from the moment the CLI returned
    while time.monotonic() - returned < TIMEOUT and any(p.found_at is None for p in pollers):
        time.sleep(0.002)
    for poller in pollers:
        poller.relax()
    found = [p.found_at for p in pollers]
    announced = announcements.last
    done = None not in found
    return {"cli_seconds": round(returned - cli_started, 3),
            "from_return": max(0.0, max(found) - returned) if done else None,  # type: ignore[type-var]
            "from_announcement": max(found) - announced if done and announced else None,  # type: ignore[type-var]
            "nodes_from_announcement": [round(t - announced, 4) if t and announced else None for t in found]}


def toggles(env: dict[str, str], pollers: list[Poller], count: int, mode: str) -> dict:
    announcements = Announcements()
    announcements.start()
    results: dict[str, list] = {"on": [], "off": []}
    for number in range(count):
        for action in ("on", "off"):
            outcome = toggle(env, pollers, announcements, action)
            results[action].append(outcome)
            shown = " ".join(f"{outcome[key] * 1000:7.1f} ms" if outcome[key] is not None else "timeout"
                             for key in ("from_return", "from_announcement"))
            print(f"{mode:<8} toggle {number + 1:>2}/{count} {action:<3} last node after return/announcement {shown}",
                  file=sys.stderr)
            time.sleep(0.3)  # let the CLI's connections close and the nodes settle
    announcements.pubsub.close()
    return results


def run_mode(env: dict[str, str], tmp: Path, count: int, mode: str) -> dict:
    """Start the nodes (each with its own var dir, as on separate machines), toggle, stop them."""
    servers: list[Server] = []
    pollers: list[Poller] = []
    for i in range(NODES):
        var_dir = tmp / f"{mode}-node{i + 1}"
        var_dir.mkdir()
        node_env = {**env, "YONGXU_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "bench.gate_settings",
                    "BENCH_GATE": "ours", **({"BENCH_NO_PUBSUB": "1"} if mode == "polling" else {})}
        servers.append(Server(f"{mode}-node{i + 1}", node_env))
    try:
        for server in servers:
            server.start(PATH)
        pollers = [Poller(server.port) for server in servers]
        for poller in pollers:
            poller.start()
        time.sleep(2)  # warm: every node's gate (and its pub/sub listener) started, first version check behind it
        if any(p.errors for p in pollers):
            raise BenchError(f"{mode}: a node does not answer on {PATH}")
        result = toggles(env, pollers, count, mode)
        result["poll_errors"] = sum(poller.errors for poller in pollers)
        return result
    finally:
        for poller in pollers:
            poller.stop.set()
        for server in servers:
            server.stop()


def clean_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"*{PREFIX}*"))
    if keys:
        client.delete(*keys)


def summary(values: list[float | None]) -> dict:
    done = [v for v in values if v is not None]
    return {"n": len(values), "timeouts": len(values) - len(done),
            "p50_ms": round(percentile(done, 50) * 1000, 1) if done else None,
            "p99_ms": round(percentile(done, 99) * 1000, 1) if done else None,
            "max_ms": round(max(done) * 1000, 1) if done else None,
            "mean_ms": round(statistics.mean(done) * 1000, 1) if done else None}


def report(result: dict, info: dict, count: int) -> str:
    rows, verdicts = [], []
    for mode, label in (("pubsub", "Redis pub/sub"), ("polling", "without pub/sub (version key polled)")):
        for action in ("on", "off"):
            ret, ann = (result[mode]["summary"][action][key] for key in ("from_return", "from_announcement"))
            rows.append([label, f"`{action}` → {503 if action == 'on' else 200}", ret["p50_ms"], ret["p99_ms"],
                         ann["p50_ms"], ann["p99_ms"], ann["max_ms"], ret["timeouts"]])
        goal = GOALS[mode] * 1000
        ret, ann = (result[mode]["summary"]["on"][key] for key in ("from_return", "from_announcement"))
        met = [s["timeouts"] == 0 and s["p99_ms"] is not None and s["p99_ms"] <= goal for s in (ret, ann)]
        verdicts.append(f"{label}, goal ≤ {goal:g} ms: **{'met' if met[0] else 'not met'}** from the CLI's return "
                        f"(p99 {ret['p99_ms']} ms), **{'met' if met[1] else 'not met'}** from the announcement "
                        f"(p99 {ann['p99_ms']} ms)")
    cli = [t["cli_seconds"] for mode in ("pubsub", "polling") for action in ("on", "off") for t in result[mode][action]]
    return "\n".join([
        f"### Propagation ({NODES} gunicorn nodes, PostgreSQL + Redis, live traffic, {count} toggles per mode; "
        "time until the last node flips)", "",
        table(["Channel", "Switch", "after CLI return p50 ms", "p99", "after announcement p50 ms", "p99", "max",
               "timeouts"], rows), "",
        "; ".join(verdicts) + f". `yongxu maintenance on|off` itself took {statistics.median(cli):.2f} s median "
        "(Django start-up included), which the issue's measure (from the CLI's return) does not count; "
        "\"after announcement\" starts when the bench's own subscriber receives the version message, right after "
        "the commit.", "", machine_markdown(info)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toggles", type=int, default=None, help="toggles per mode (default 20; quick 5)")
    parser.add_argument("--quick", action="store_true", help="5 toggles per mode")
    args = parser.parse_args()
    count = args.toggles or (5 if args.quick else 20)
    info = machine()
    result: dict = {}
    try:
        with tempfile.TemporaryDirectory(prefix="yongxu-prop-") as tmp:
            # One cluster: shared secrets, database and Redis; the CLI has its own var dir like the nodes.
            env = base_env(Path(tmp) / "cli", DATABASE_URL=create_database(DATABASE), REDIS_URL=REDIS_URL,
                           YONGXU_CACHE_PREFIX=PREFIX, YONGXU_QUEUE_NAME=PREFIX, SECRET_KEY=secrets.token_urlsafe(40),
                           YONGXU_KEY_ENCRYPTION_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
            yongxu(["migrate", "--noinput"], env)
            for mode in ("pubsub", "polling"):
                result[mode] = run_mode(env, Path(tmp), count, mode)
                result[mode]["summary"] = {action: {key: summary([t[key] for t in result[mode][action]])
                                                    for key in ("from_return", "from_announcement")}
                                           for action in ("on", "off")}
    except (BenchError, subprocess.TimeoutExpired) as exc:
        print(f"propagation could not run: {exc}", file=sys.stderr)
        return 2
    finally:
        try:
            drop_database(DATABASE)
            clean_redis()
        except Exception as exc:  # noqa: BLE001 - report, but do not hide the run's own outcome
            print(f"clean-up: {exc}", file=sys.stderr)
    markdown = report(result, info, count)
    path = write_results("propagation", {"machine": info, "toggles": count, **result, "markdown": markdown})
    print(markdown)
    print(f"\nJSON: {path.relative_to(Path(__file__).resolve().parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
