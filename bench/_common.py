"""Helpers shared by the maintenance benchmarks (gate_overhead, propagation, maintenance_page).

Servers are gunicorn processes on 127.0.0.1 ports 8200-8299, each in its own process group so that
stopping one kills its whole tree. Load comes from ``wrk`` when it is installed, otherwise from a small
threaded keep-alive client in this file. Standard library only.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
PORTS = range(8200, 8300)
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qAtc"]
_taken: set[int] = set()
TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """The benchmark itself could not run (set-up, server start)."""


def free_port() -> int:
    for port in PORTS:
        if port in _taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _taken.add(port)
        return port
    raise BenchError("no free port in 8200-8299")


def base_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for yongxu commands and servers: a private var dir, no inherited DB/Redis."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(YONGXU_VAR_DIR=str(var_dir), PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def yongxu(args: list[str], env: dict[str, str], *, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run([str(VENV_BIN / "yongxu"), *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode not in (0, 3):  # 3: `status` found something closed
        raise BenchError(f"yongxu {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return done


def psql(sql: str) -> str:
    done = subprocess.run([*PSQL, sql], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise BenchError(f"psql: {done.stderr.strip()}")
    return done.stdout.strip()


def drop_database(name: str) -> None:
    if not re.fullmatch(r"yongxu_bench_[a-z_]+", name):
        raise BenchError(f"refusing to drop {name!r}: not a bench database")
    psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")  # noqa: S608 - checked
    psql(f'DROP DATABASE IF EXISTS "{name}"')


def create_database(name: str) -> str:
    drop_database(name)
    psql(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def get(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


class Server:
    """One gunicorn (1 worker, gthread) in its own process group; log in ``log``."""

    def __init__(self, name: str, env: dict[str, str], *, threads: int = 1, port: int | None = None) -> None:
        self.name, self.port = name, port or free_port()
        self.env = {**env, "PORT": str(self.port), "YONGXU_SITE_URL": f"http://127.0.0.1:{self.port}"}
        self.threads = threads
        self.log = Path(env["YONGXU_VAR_DIR"]) / f"gunicorn-{name}-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, ready_path: str = "/healthz", timeout: float = 60) -> Server:
        command = [str(VENV_BIN / "gunicorn"), "yongxu.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", "1", "--worker-class", "gthread", "--threads", str(self.threads),
                   "--chdir", str(ROOT), "--timeout", "60", "--keep-alive", "30", "--no-control-socket"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"server {self.name} exited: {self.log.read_text()[-1500:]}")
            try:
                if get(self.port, ready_path, timeout=2)[0] < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise BenchError(f"server {self.name} not ready after {timeout} s")

    def cpu_seconds(self) -> float:
        """User + system CPU of gunicorn's arbiter and workers so far (from /proc)."""
        if self.process is None:
            return 0.0
        pids = [str(self.process.pid)]
        with contextlib.suppress(OSError):
            pids += Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        ticks = 0
        for pid in pids:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / TICKS

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                return


@dataclass
class Load:
    tool: str
    requests: int
    seconds: float
    rps: float
    non_2xx: int
    errors: int


def load(port: int, path: str, *, seconds: float, connections: int = 4, headers: dict[str, str] | None = None) -> Load:
    """Drive GET ``path`` with keep-alive connections for ``seconds``; wrk if installed."""
    if shutil.which("wrk"):
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                             timeout=seconds + 30).stdout
        found = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        if not found or not rps:
            raise BenchError(f"cannot read wrk output: {out}")
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        elapsed = float(found.group(2)) / (1000 if found.group(3) == "ms" else 1)
        return Load("wrk", int(found.group(1)), elapsed, float(rps.group(1)), int(non_2xx.group(1)) if non_2xx else 0,
                    sum(int(n) for n in errors.groups()) if errors else 0)
    return _python_load(port, path, seconds, connections, headers or {})


def _python_load(port: int, path: str, seconds: float, connections: int, headers: dict[str, str]) -> Load:
    counts = {"ok": 0, "non_2xx": 0, "errors": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = {"ok": 0, "non_2xx": 0, "errors": 0}
        while time.monotonic() < stop:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                mine["ok" if response.status < 400 else "non_2xx"] += 1
            except (OSError, http.client.HTTPException):
                mine["errors"] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.close()
        with lock:
            for key, value in mine.items():
                counts[key] += value

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = counts["ok"] + counts["non_2xx"]
    return Load("python", total, elapsed, total / elapsed, counts["non_2xx"], counts["errors"])


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered), max(1, math.ceil(len(ordered) * p / 100))) - 1]


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    git = ["git", "describe", "--always", "--dirty"]
    commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True).stdout
    return {"nproc": os.cpu_count(), "memory_gib": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "kernel": platform.release(), "commit": commit.strip(),
            "loadavg": [round(x, 2) for x in os.getloadavg()], "load_generator": "wrk" if shutil.which("wrk") else "python",
            "date": datetime.now().isoformat(timespec="seconds")}


def machine_markdown(info: dict) -> str:
    return (f"Machine: {info['nproc']} CPU ({info['cpu']}), {info['memory_gib']} GiB, Python {info['python']}, "
            f"Linux {info['kernel']}, commit {info['commit']}, load average at start {info['loadavg'][0]}, "
            f"load from {info['load_generator']}, {info['date']}.")


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{name}-{datetime.now():%Y%m%d-%H%M%S}.json"
    target.write_text(json.dumps(data, indent=2, default=str))
    return target
