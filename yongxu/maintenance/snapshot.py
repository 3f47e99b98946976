"""The process-wide, immutable snapshot of maintenance closures that the gate decides from.

A request never queries the database or reads a file for the gate: at most about once a second one
request checks the cheap version channel; only when the version moved is the database read (one
query) and the maintenance pages re-rendered. When the channel is down, the last snapshot stays and
the database version is polled gently; nothing here ever raises into a request."""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Q

from yongxu.core import clock
from yongxu.maintenance import channel
from yongxu.maintenance.models import Closure
from yongxu.maintenance.state import ClosureView, State, effective_state, next_boundary

log = logging.getLogger(__name__)
CHECK_INTERVAL = 1.0  # seconds between looks at the cheap channel
DATABASE_POLL_INTERVAL = 5.0  # seconds between database polls while the channel is down


def load_closures(at: datetime) -> tuple[ClosureView, ...]:
    rows = (Closure.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at)).order_by("starts_at", "id"))
    return tuple(ClosureView(
        id=row.id, source=row.source, level=row.level, capabilities=frozenset(row.capabilities or ()),
        starts_at=row.starts_at, ends_at=row.ends_at, ended_at=row.ended_at, eta=row.eta,
        public_reason=row.public_reason, progress=row.progress, steps=tuple(row.steps or ()),
        progress_note=row.progress_note, secret_id=row.secret_id) for row in rows)


@dataclass(frozen=True)
class Snapshot:
    version: int
    closures: tuple[ClosureView, ...]


class Gatekeeper:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot = Snapshot(version=-1, closures=())
        self._next_check = 0.0
        self._force = True
        self._state: tuple[datetime, datetime | None, State] | None = None  # (from, until, state)
        self._listener_started = False
        self.on_change: list = []  # callbacks(state), e.g. re-render the maintenance page

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def invalidate(self) -> None:
        """Refresh from the database on the next look (pub/sub message, or a change made here)."""
        self._force = True

    def state(self) -> State:
        """The effective state now. Cheap: a monotonic clock read on the fast path."""
        if self._force or time.monotonic() >= self._next_check:
            self._refresh()
        snapshot = self._snapshot
        if not snapshot.closures:
            cached = self._state
            if cached is not None and cached[2].version == snapshot.version and not cached[2].upcoming:
                return cached[2]
            idle = State(at=clock.now(), version=snapshot.version)
            self._state = (idle.at, None, idle)
            return idle
        at = clock.now()
        cached = self._state
        if cached is not None and cached[2].version == snapshot.version and cached[0] <= at and (
                cached[1] is None or at < cached[1]):
            return cached[2]  # valid until the next boundary; nothing per request but this comparison
        state = effective_state(snapshot.closures, at, version=snapshot.version)
        self._state = (at, next_boundary(snapshot.closures, at), state)
        return state

    def _refresh(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # another thread is refreshing; use the snapshot we have
        try:
            self._start_listener()
            forced, self._force = self._force, False
            version = None if forced else channel.cheap_version()
            channel_down = version is None and not forced
            if version is None:
                version = channel.database_version()
            # Forced (a change made here, a pub/sub message): reload even if the number looks the same,
            # since a restored database or a rolled-back transaction can hand out a version number again.
            if forced or version != self._snapshot.version:
                self._snapshot = Snapshot(version=version, closures=load_closures(clock.now()))
                self._state = None
                for callback in self.on_change:
                    callback(self)
            self._next_check = time.monotonic() + (DATABASE_POLL_INTERVAL if channel_down else CHECK_INTERVAL)
        except Exception as exc:  # the gate never fails a request: keep the last snapshot, retry gently
            # One line, no traceback: with the database down this repeats every poll interval.
            log.warning("maintenance snapshot refresh failed (%s: %s); keeping version %s",
                        type(exc).__name__, exc, self._snapshot.version)
            self._force = False
            self._next_check = time.monotonic() + DATABASE_POLL_INTERVAL
        finally:
            self._lock.release()

    def _start_listener(self) -> None:
        if not self._listener_started:
            self._listener_started = True
            channel.listen(self._on_message)

    def _on_message(self) -> None:
        self.invalidate()
        try:
            self._refresh()  # refresh at once, so this node closes before its next request arrives
        finally:
            # This thread's own connection: closed after each refresh, so a listener never holds a
            # database session open between messages (it would block dropping or renaming a database).
            connection.close()


gatekeeper = Gatekeeper()


def current_state() -> State:
    return gatekeeper.state()


def is_open(capability: str) -> bool:
    return not gatekeeper.state().is_closed(capability)
