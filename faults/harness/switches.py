"""An operator's maintenance switch from the CLI, and how long the shop takes to obey it."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass

from faults.harness.client import NoAnswer


@dataclass(frozen=True)
class Switched:
    command: str
    exit_code: int | None  # None: the command did not finish in time
    command_seconds: float
    effect_seconds: float | None  # None: the shop did not obey within the wait
    stderr_tail: str

    def row(self) -> dict:
        return {"exit": self.exit_code, "command s": self.command_seconds, "effect s": self.effect_seconds,
                "stderr": self.stderr_tail}


def switch(stack, *args: str, probe: str, expect: int, consecutive: int = 8, wait: float = 15,
           timeout: float = 45) -> Switched:
    """Run ``yongxu maintenance ARGS``; then probe GET ``probe`` until ``consecutive`` answers in a row
    (spread over every gunicorn worker) have status ``expect``; the effect is timed from the command's exit."""
    started = time.monotonic()
    try:
        done = stack.yongxu("maintenance", *args, timeout=timeout)
        code, stderr = done.returncode, (done.stderr.strip().splitlines() or [""])[-1][-300:]
    except subprocess.TimeoutExpired:
        code, stderr = None, f"did not finish in {timeout} s"
    returned = time.monotonic()
    streak, deadline = 0, returned + wait
    while time.monotonic() < deadline:
        try:
            streak = streak + 1 if stack.get(probe, kind="probe", timeout=5).status == expect else 0
        except NoAnswer:
            streak = 0
        if streak >= consecutive:
            effect = round(time.monotonic() - returned, 2)
            break
        time.sleep(0.05)
    else:
        effect = None
    return Switched(" ".join(args), code, round(returned - started, 2), effect, stderr)
