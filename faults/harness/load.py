"""Bounded load: a few threads, each with a time limit and a pace, that can be paused; every answer is
recorded by the Recorder they share."""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
import time
from collections.abc import Callable, Iterable

from faults.harness.client import Buyer, Checkout, NoAnswer, Recorder, request

BUYER_PAGES = ("/", "/p/fault-card/", "/lookup/", "/status/")
API_READS = ("/api/v1/products", "/api/v1/products/fault-card")


class Load:
    """Threads running ``step()`` every ``pace`` seconds until ``stop()`` or ``seconds`` have passed."""

    def __init__(self, *, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.stopped, self.running = threading.Event(), threading.Event()
        self.running.set()
        self.threads: list[threading.Thread] = []

    def add(self, step: Callable[[], None], *, pace: float) -> Load:
        def loop() -> None:
            while not self.stopped.is_set() and time.monotonic() < self.deadline:
                if not self.running.wait(0.1):
                    continue
                with contextlib.suppress(NoAnswer):
                    step()
                self.stopped.wait(pace)

        thread = threading.Thread(target=loop, daemon=True)
        self.threads.append(thread)
        thread.start()
        return self

    def pause(self) -> None:
        """No new request starts (those under way finish) until ``resume``."""
        self.running.clear()
        time.sleep(0.3)

    def resume(self) -> None:
        self.running.set()

    def stop(self) -> None:
        self.stopped.set()
        self.running.set()
        for thread in self.threads:
            thread.join(30)

    def __enter__(self) -> Load:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def browsing(port: int, recorder: Recorder, paths: Iterable[str], *, kind: str,
             headers: dict[str, str] | None = None) -> Callable[[], None]:
    """A step that GETs the next of ``paths`` (round robin)."""
    cycle = itertools.cycle(list(paths))
    lock = threading.Lock()

    def step() -> None:
        with lock:
            path = next(cycle)
        request(port, "GET", path, recorder=recorder, kind=kind,
                headers={"Accept-Language": "en", **(headers or {})}, timeout=10)

    return step


def buying(buyer: Buyer, checkouts: list[Checkout]) -> Callable[[], None]:
    """A step that runs the next whole checkout from ``checkouts`` (shared by every thread); idles when done."""
    return _each(checkouts, buyer.buy)


def paying(buyer: Buyer, checkouts: list[Checkout]) -> Callable[[], None]:
    """A step in which the gateway notifies the next of ``checkouts`` (placed already), with its retries."""
    return _each(checkouts, buyer.notify)


def _each(checkouts: list[Checkout], action: Callable[[Checkout], object]) -> Callable[[], None]:
    todo: queue.SimpleQueue[Checkout] = queue.SimpleQueue()
    for checkout in checkouts:
        todo.put(checkout)

    def step() -> None:
        try:
            checkout = todo.get_nowait()
        except queue.Empty:
            time.sleep(0.2)
            return
        action(checkout)

    return step


def buy_all(buyer: Buyer, checkouts: list[Checkout], *, clients: int, seconds: float) -> list[Checkout]:
    """Run every checkout with ``clients`` threads; returns when all are done or ``seconds`` passed."""
    todo: queue.SimpleQueue[Checkout] = queue.SimpleQueue()
    for checkout in checkouts:
        todo.put(checkout)
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline:
            try:
                checkout = todo.get_nowait()
            except queue.Empty:
                return
            buyer.buy(checkout)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + buyer.timeout * 2)
    return checkouts
