"""Child processes in their own sessions, so a signal reaches a whole tree, and a registry that ends
every one of them at the end of the run (also after a failure)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

_live: list[subprocess.Popen] = []
RESERVED = {5432, 6379, 8000}  # the machine's own PostgreSQL and Redis, and the demo's port


class HarnessError(Exception):
    """The harness itself could not do what a case asked (a server did not start, a port is taken)."""


def free_port() -> int:
    """A port nobody listens on, from the kernel's ephemeral range, never one of the machine's own."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in RESERVED:
            return port


def spawn(command: list[str], *, log: Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen:
    """Start ``command`` in a new session, output appended to ``log``; remembered for ``end_all``."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    _live.append(process)
    return process


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc), children first."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{parent}/task").iterdir():
                for child in (task / "children").read_text().split():
                    found.append(int(child))
                    todo.append(int(child))
    return found


def signal_tree(pid: int, sig: int) -> None:
    """``sig`` to ``pid`` and all its descendants (a stopped tree is stopped top-down, so none forks meanwhile)."""
    for target in [pid, *descendants(pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(target, sig)


def end(process: subprocess.Popen | None, *, grace: float = 10) -> None:
    """SIGCONT then SIGTERM to the process group, SIGKILL after ``grace`` seconds; reaps it."""
    if process is None:
        return
    if process.poll() is None:
        for sig in (signal.SIGCONT, signal.SIGTERM):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, sig)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    kill_group(process)
    with contextlib.suppress(ValueError):
        _live.remove(process)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL whatever is left in the process's group (e.g. gunicorn workers orphaned by a killed master)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(10)


def end_all() -> None:
    for process in list(_live):
        end(process, grace=5)


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll ``predicate`` until it returns something truthy; HarnessError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError):
            if result := predicate():
                return result
        if time.monotonic() > deadline:
            raise HarnessError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
