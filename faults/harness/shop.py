"""The shop under test: the real ``yongxu.wsgi`` under gunicorn and the Huey worker as separate processes,
with an environment pointing at the suite's own PostgreSQL, Redis and SMTP sink."""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from faults.harness.procs import HarnessError, descendants, end, kill_group, signal_tree, spawn, wait_until

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(Path(sys.executable))
EPAY_PID = "1000"
EPAY_KEY = "faultsuite0epay0key0000000000000"
SECRET_KEY = "fault-suite-secret-key-not-for-production-0123456789"
# Fernet key (urlsafe base64 of 32 bytes): fixed, so the shop set up once can be copied for every case.
KEY_ENCRYPTION_KEY = "ZmF1bHQtc3VpdGUta2V5LWVuY3J5cHRpb24ta2V5ISE="
FAULT_PRODUCT = "fault-card"
FAULT_KEYS = 300
# Knobs the cases need shorter than in production (worker poll, retries); one place to add more.
TUNING = {"HUEY_WORKERS": "2", "SMTP_TIMEOUT": "5", "PAYMENT_HTTP_TIMEOUT": "3"}
_STRIPPED = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SMTP_", "YONGXU_", "EPAY_", "SECRET_KEY",
             "PORT", "WEB_CONCURRENCY", "DEBUG", "LOG_LEVEL", "PYTEST", "HUEY_")

SETUP_PRODUCT = f"""
from decimal import Decimal
from yongxu.catalog.models import Category, Product
from yongxu.inventory.services import import_keys
product, _ = Product.objects.get_or_create(slug="{FAULT_PRODUCT}", defaults=dict(
    category=Category.objects.get(slug="game-cards"), name="Fault card", price=Decimal("1.00"), currency="CNY",
    min_quantity=1, max_quantity=1, per_email_limit=0, low_stock_threshold=0))
import_keys(product, [f"FAULT-{{i:05d}}-{{i * 7919 % 100003:06d}}" for i in range({FAULT_KEYS})], actor="system:faults")
"""


def base_env(*, var_dir: Path, database_url: str, redis_url: str | None, smtp_port: int, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_STRIPPED)}
    env.update(TUNING)
    env.update(DATABASE_URL=database_url, YONGXU_VAR_DIR=str(var_dir), SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_port),
               PORT=str(port), YONGXU_SITE_URL=f"http://127.0.0.1:{port}", EPAY_PID=EPAY_PID, EPAY_KEY=EPAY_KEY,
               SECRET_KEY=SECRET_KEY, YONGXU_KEY_ENCRYPTION_KEY=KEY_ENCRYPTION_KEY, PYTHONDONTWRITEBYTECODE="1",
               # Buyers reach gunicorn through "nginx" on loopback: each simulated buyer has its own address.
               YONGXU_TRUSTED_PROXIES="127.0.0.1/32", LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def yongxu(args: list[str], env: dict[str, str], *, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a ``yongxu`` command as an operator would; the caller checks the exit code."""
    return subprocess.run([PYTHON, "-m", "yongxu.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def set_up_shop(env: dict[str, str]) -> None:
    """Migrate, load the demo shop and the suite's own product with its keys."""
    for args in (["demo", "--no-serve"], ["shell", "-c", SETUP_PRODUCT]):
        done = yongxu(args, env, timeout=600)
        if done.returncode != 0:
            raise HarnessError(f"yongxu {args[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")


class Gunicorn:
    """gunicorn (gthread) in its own session on a fixed port, so a restart keeps the shop's URL."""

    def __init__(self, env: dict[str, str], *, workers: int = 2, threads: int = 4) -> None:
        self.env, self.workers, self.threads = env, workers, threads
        self.port = int(env["PORT"])
        self.var = Path(env["YONGXU_VAR_DIR"])
        self.log = self.var / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self, *, wait: bool = True) -> Gunicorn:
        command = [PYTHON, "-m", "gunicorn", "yongxu.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers",
                   str(self.workers), "--worker-class", "gthread", "--threads", str(self.threads), "--timeout", "30",
                   "--graceful-timeout", "5", "--no-control-socket", "--access-logfile", str(self.var / "access.log")]
        self.process = spawn(command, log=self.log, env=self.env, cwd=ROOT)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 90) -> None:
        """Until /healthz answers 200 and every worker has booted."""
        def ready() -> bool:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn exited ({self.process.returncode}):\n{self.log.read_text()[-3000:]}")
            return len(self.worker_pids()) == self.workers and _healthz(self.port)
        wait_until(ready, timeout=timeout, interval=0.2, what="gunicorn /healthz")

    def worker_pids(self) -> list[int]:
        if self.process is None or self.process.poll() is not None:
            return []
        return [pid for pid in descendants(self.process.pid) if _ppid(pid) == self.process.pid]

    def kill9_worker(self) -> int:
        """SIGKILL one worker at random; the master starts another."""
        pid = random.choice(self.worker_pids())
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill9(self) -> None:
        """SIGKILL to the master and every worker: the machine lost the process, nothing drained."""
        if self.process is not None:
            kill_group(self.process)

    def stop(self) -> None:
        end(self.process, grace=10)

    def restart(self, *, wait: bool = True) -> Gunicorn:
        self.kill9()
        end(self.process)
        return self.start(wait=wait)


class HueyWorker:
    """``yongxu run_huey`` in its own session."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.log = Path(env["YONGXU_VAR_DIR"]) / "huey.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> HueyWorker:
        self.process = spawn([PYTHON, "-m", "yongxu.cli", "run_huey"], log=self.log, env=self.env, cwd=ROOT)
        self.starts += 1
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the consumer has logged its start for this run."""
        needed = self.starts
        wait_until(lambda: self.log.read_text(errors="replace").count("consumer started") >= needed or not self.alive,
                   timeout=timeout, what="the Huey consumer to start")
        if not self.alive:
            raise HarnessError(f"run_huey exited:\n{self.log.read_text()[-3000:]}")

    def kill9(self) -> None:
        if self.process is not None:
            kill_group(self.process)

    def hang(self) -> None:
        if self.alive:
            signal_tree(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.alive:
            signal_tree(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        end(self.process, grace=15)


def _ppid(pid: int) -> int:
    with contextlib.suppress(OSError, IndexError, ValueError):
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return -1


def _healthz(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def copy_var(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, ignore=shutil.ignore_patterns("*.log", "huey.sqlite3*", "mail"))
    return target


def elapsed_since(start: float) -> float:
    return round(time.monotonic() - start, 2)
