"""Faults at random moments: a thread that kills a process, waits, restarts it, and again, with a seeded
random generator so that a failing run can be replayed (FAULTS_SEED)."""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable


def seed() -> int:
    return int(os.environ.get("FAULTS_SEED") or time.time_ns() % 1_000_000)


class Repeatedly:
    """Every ``every`` seconds (uniform in the range) call ``kill``, then after ``down`` seconds ``revive``."""

    def __init__(self, kill: Callable[[], None], revive: Callable[[], None], *, every: tuple[float, float],
                 down: tuple[float, float], rng: random.Random) -> None:
        self.kill, self.revive, self.every, self.down, self.rng = kill, revive, every, down, rng
        self.kills = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.rng.uniform(*self.every)):
            self.kill()
            self.kills += 1
            self._stop.wait(self.rng.uniform(*self.down))
            self.revive()

    def __enter__(self) -> Repeatedly:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(30)
