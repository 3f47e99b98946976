"""The effective maintenance state at time t: a pure function of the closures, nothing else.

Closed capabilities are the union over active closures; the ETA is the latest one known; the public
reason comes from the most specific closure (fewest capabilities), the newest one on a tie."""

from dataclasses import dataclass, field
from datetime import datetime

from yongxu.core import clock
from yongxu.core.capabilities import ALL, CHECKOUT, NEVER_CLOSED, OPEN_UNLESS_NAMED, PAYMENT

FULL, READONLY, MODULES, SYNC = "full", "readonly", "modules", "sync"
LEVELS = (FULL, READONLY, MODULES, SYNC)
_LEVEL_CLOSES = {
    FULL: ALL - NEVER_CLOSED - OPEN_UNLESS_NAMED,
    READONLY: frozenset({CHECKOUT, PAYMENT}),
    MODULES: frozenset(),
    SYNC: frozenset(),
}


@dataclass(frozen=True)
class ClosureView:
    """An immutable copy of a Closure row, as the gate holds it."""

    id: int
    source: str
    level: str
    capabilities: frozenset[str]
    starts_at: datetime
    ends_at: datetime | None = None
    ended_at: datetime | None = None
    eta: datetime | None = None
    public_reason: str = ""
    progress: int = 0
    steps: tuple = ()
    progress_note: str = ""
    secret_id: str = ""

    @property
    def closes(self) -> frozenset[str]:
        return (_LEVEL_CLOSES[self.level] | self.capabilities) - NEVER_CLOSED

    @property
    def stops_at(self) -> datetime | None:
        ends = [moment for moment in (self.ends_at, self.ended_at) if moment is not None]
        return min(ends) if ends else None

    def active_at(self, at: datetime) -> bool:
        stops = self.stops_at
        return self.starts_at <= at and (stops is None or at < stops)

    @property
    def public_eta(self) -> datetime | None:
        return self.eta or self.ends_at


@dataclass(frozen=True)
class State:
    at: datetime
    version: int = 0
    active: tuple[ClosureView, ...] = ()
    upcoming: tuple[ClosureView, ...] = ()
    closed: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    eta: datetime | None = None
    public_reason: str = ""
    progress: int = 0
    steps: tuple = ()
    progress_note: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def in_maintenance(self) -> bool:
        return bool(self.active)

    @property
    def sync_paused(self) -> bool:
        return SYNC in self.levels or FULL in self.levels

    @property
    def level(self) -> str:
        """The broadest active level, for display."""
        return next((level for level in LEVELS if level in self.levels), "")

    def is_closed(self, capability: str | None) -> bool:
        if capability in NEVER_CLOSED:
            return False
        if capability is None:  # a route that declared nothing: closed whenever the shop is in full maintenance
            return FULL in self.levels
        return capability in self.closed

    def retry_after(self) -> int:
        """Seconds from now to the ETA (the state may have been computed a while ago)."""
        if self.eta is None:
            return 300
        return max(int((self.eta - clock.now()).total_seconds()), 1)


def effective_state(closures: tuple[ClosureView, ...] | list[ClosureView], at: datetime, *, version: int = 0) -> State:
    active = tuple(sorted((c for c in closures if c.active_at(at)), key=lambda c: (c.starts_at, c.id)))
    upcoming = tuple(sorted((c for c in closures if c.starts_at > at and (c.stops_at is None or c.stops_at > c.starts_at)),
                            key=lambda c: (c.starts_at, c.id)))
    if not active:
        return State(at=at, version=version, upcoming=upcoming)
    closed = frozenset().union(*(c.closes for c in active))
    etas = [c.public_eta for c in active if c.public_eta is not None]
    reasons = [c for c in active if c.public_reason]
    specific = min(reasons, key=lambda c: (len(c.closes) if c.closes else len(ALL), -c.starts_at.timestamp(), -c.id),
                   default=None)
    leading = max(active, key=lambda c: (len(c.closes), c.starts_at))
    return State(at=at, version=version, active=active, upcoming=upcoming, closed=closed,
                 levels=frozenset(c.level for c in active), eta=max(etas) if etas else None,
                 public_reason=specific.public_reason if specific else "", progress=leading.progress,
                 steps=leading.steps, progress_note=leading.progress_note)


def next_boundary(closures, at: datetime) -> datetime | None:
    """The next moment the state can change by the clock alone (a window opening or closing)."""
    moments = [m for c in closures for m in (c.starts_at, c.stops_at) if m is not None and m > at]
    return min(moments) if moments else None
