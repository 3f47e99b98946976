"""The process-wide, immutable snapshot of maintenance closures that the gate decides from.

A request never queries the database or reads a file for the gate: at most about once a second one
request checks the cheap version channel; only when the version moved is the database read (one
query) and the maintenance pages re-rendered. When the channel is down, the last snapshot stays and
the database version is polled gently; nothing here ever raises into a request.

The gate never opens what it has not seen open. A process that has not yet read the state from the database
(it started while the database was down) decides from the last state any process of this node wrote under
var/ (``maintenance/snapshot.json``); without one, it treats every capability but the always-open set as
closed. Until it has read the database itself it tries again about once a second, so when the database
returns it refreshes before it lets anything through."""

import json
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Q

from yongxu.core import clock
from yongxu.maintenance import channel
from yongxu.maintenance.models import Closure
from yongxu.maintenance.state import FULL, ClosureView, State, effective_state, next_boundary

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


UNKNOWN_SOURCE = "unknown"  # the state has not been read yet: closed in full (fail closed)
UNKNOWN = (ClosureView(id=0, source=UNKNOWN_SOURCE, level=FULL, capabilities=frozenset(),
                       starts_at=datetime(2000, 1, 1, tzinfo=UTC)),)
_TIMES = ("starts_at", "ends_at", "ended_at", "eta")


@dataclass(frozen=True)
class Snapshot:
    version: int
    closures: tuple[ClosureView, ...]
    fresh: bool = True  # read from the database by this process; False: from var/, or not known at all


def snapshot_path() -> Path:
    return Path(settings.VAR_DIR) / "maintenance" / "snapshot.json"


def save_snapshot(snapshot: Snapshot) -> None:
    """The last state read from the database, for a process of this node that starts with it away."""
    def row(closure: ClosureView) -> dict:
        data = asdict(closure)
        data["capabilities"] = sorted(closure.capabilities)
        data.update({name: data[name].isoformat() if data[name] else None for name in _TIMES})
        return data

    path = snapshot_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".snapshot.{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps({"version": snapshot.version, "closures": [row(c) for c in snapshot.closures]}))
        os.replace(temporary, path)
    except OSError as error:
        log.warning("maintenance snapshot not written to %s: %s", path, error)


def read_saved_snapshot() -> Snapshot | None:
    try:
        data = json.loads(snapshot_path().read_text())
        closures = tuple(ClosureView(**{
            **row, "capabilities": frozenset(row["capabilities"]), "steps": tuple(row.get("steps") or ()),
            **{name: datetime.fromisoformat(row[name]) if row.get(name) else None for name in _TIMES}})
            for row in data["closures"])
        return Snapshot(version=int(data["version"]), closures=closures, fresh=False)
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("no usable saved maintenance state (%s); treating the shop as closed until it is read", error)
        return None


class Gatekeeper:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot = Snapshot(version=-1, closures=UNKNOWN, fresh=False)
        self._saved_tried = False
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
        # Another thread refreshing: use the snapshot we have — unless this process has never read the state,
        # then wait a moment for that thread's answer rather than decide from "unknown".
        if not self._lock.acquire(blocking=not self._snapshot.fresh, timeout=2 if not self._snapshot.fresh else -1):
            return
        try:
            self._start_listener()
            forced, self._force = self._force, False
            version = None if forced else channel.cheap_version()
            channel_down = version is None and not forced
            if version is None:
                version = channel.database_version()
            # Forced (a change made here, a pub/sub message): reload even if the number looks the same,
            # since a restored database or a rolled-back transaction can hand out a version number again.
            if forced or version != self._snapshot.version or not self._snapshot.fresh:
                self._replace(Snapshot(version=version, closures=load_closures(clock.now())))
                save_snapshot(self._snapshot)
            self._next_check = time.monotonic() + (DATABASE_POLL_INTERVAL if channel_down else CHECK_INTERVAL)
        except Exception as exc:  # the gate never fails a request: keep the last snapshot, retry gently
            # One line, no traceback: with the database down this repeats every poll interval.
            log.warning("maintenance snapshot refresh failed (%s: %s); keeping version %s",
                        type(exc).__name__, exc, self._snapshot.version)
            self._force = False
            if not self._snapshot.fresh and not self._saved_tried:
                self._saved_tried = True
                saved = read_saved_snapshot()
                if saved is not None:
                    self._replace(saved)
            # Never read from the database yet: look again soon, so its return is noticed before anything opens.
            self._next_check = time.monotonic() + (DATABASE_POLL_INTERVAL if self._snapshot.fresh else CHECK_INTERVAL)
        finally:
            self._lock.release()

    def _replace(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._state = None
        for callback in self.on_change:
            try:
                callback(self)
            except Exception as error:  # noqa: BLE001 - a page not re-rendered must not keep the old state
                log.warning("maintenance change callback failed: %s", error)

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
