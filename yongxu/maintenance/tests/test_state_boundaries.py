"""The effective state is a pure function of the closures and the moment: a window is on from its
start (inclusive) to its end (exclusive); overlapping closures add up; the latest ETA and the most
specific public reason win."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from yongxu.core.capabilities import (
    ALL,
    BROWSE,
    CHECKOUT,
    DELIVERY,
    LOOKUP,
    NEVER_CLOSED,
    OPEN_UNLESS_NAMED,
    PAYMENT,
    SUPPORT,
)
from yongxu.maintenance.state import FULL, LEVELS, MODULES, READONLY, SYNC, ClosureView, effective_state

T0 = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)
CLOSABLE = ALL - NEVER_CLOSED


def minutes(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


def closure(id: int = 1, level: str = MODULES, capabilities=(), *, starts: int = 0, ends: int | None = None,
            ended: int | None = None, eta: int | None = None, public_reason: str = "") -> ClosureView:
    return ClosureView(id=id, source="window", level=level, capabilities=frozenset(capabilities), starts_at=minutes(starts),
                       ends_at=None if ends is None else minutes(ends), ended_at=None if ended is None else minutes(ended),
                       eta=None if eta is None else minutes(eta), public_reason=public_reason)


def test_a_window_is_on_from_its_first_instant():
    window = closure(level=READONLY, starts=0, ends=60)

    assert effective_state([window], T0 - TICK).closed == frozenset()
    assert effective_state([window], T0).closed == {CHECKOUT, PAYMENT}


def test_a_window_is_off_at_its_end():
    window = closure(level=READONLY, starts=0, ends=60)

    assert effective_state([window], minutes(60) - TICK).closed == {CHECKOUT, PAYMENT}
    assert effective_state([window], minutes(60)).closed == frozenset()
    assert effective_state([window], minutes(60)).in_maintenance is False


def test_switched_off_early_ends_it_before_its_planned_end():
    window = closure(level=FULL, starts=0, ends=120, ended=30)

    assert effective_state([window], minutes(30) - TICK).in_maintenance is True
    assert effective_state([window], minutes(30)).in_maintenance is False


def test_overlapping_closures_close_the_union():
    payments = closure(1, MODULES, [PAYMENT], starts=0, ends=60)
    delivery = closure(2, MODULES, [DELIVERY], starts=30, ends=90)

    state = effective_state([payments, delivery], minutes(45))

    assert state.closed == {PAYMENT, DELIVERY}
    assert [c.id for c in state.active] == [1, 2]


def test_when_one_window_ends_the_other_goes_on():
    payments = closure(1, MODULES, [PAYMENT], starts=0, ends=60, eta=60, public_reason="New payment provider")
    delivery = closure(2, MODULES, [DELIVERY], starts=30, ends=90, eta=90, public_reason="Key vault upgrade")

    state = effective_state([payments, delivery], minutes(60))

    assert state.closed == {DELIVERY}
    assert state.eta == minutes(90)
    assert state.public_reason == "Key vault upgrade"
    assert effective_state([payments, delivery], minutes(90)).closed == frozenset()


def test_the_latest_eta_is_the_one_buyers_are_told():
    early = closure(1, MODULES, [PAYMENT], starts=0, eta=20)
    late = closure(2, MODULES, [DELIVERY], starts=0, ends=75)  # no ETA: its planned end is the ETA

    assert effective_state([early, late], minutes(10)).eta == minutes(75)


def test_the_most_specific_closure_gives_the_public_reason():
    everything = closure(1, FULL, starts=0, public_reason="Big upgrade tonight")
    payments = closure(2, MODULES, [PAYMENT], starts=5, public_reason="Switching payment provider")

    state = effective_state([everything, payments], minutes(10))

    assert state.public_reason == "Switching payment provider"
    assert state.level == FULL


def test_on_a_tie_the_newest_closure_gives_the_public_reason():
    older = closure(1, MODULES, [PAYMENT], starts=0, public_reason="Older reason")
    newer = closure(2, MODULES, [DELIVERY], starts=5, public_reason="Newer reason")

    assert effective_state([older, newer], minutes(10)).public_reason == "Newer reason"


def test_windows_to_come_are_listed_in_order_and_close_nothing_yet():
    later = closure(1, FULL, starts=120, ends=180)
    sooner = closure(2, READONLY, starts=60, ends=90)
    cancelled = closure(3, FULL, starts=30, ends=60, ended=0)  # switched off before it began
    past = closure(4, FULL, starts=-60, ends=-30)

    state = effective_state([later, sooner, cancelled, past], T0)

    assert [c.id for c in state.upcoming] == [2, 1]
    assert state.closed == frozenset()
    assert state.in_maintenance is False


def test_an_undeclared_route_is_closed_only_in_full_maintenance():
    everything_closable = closure(1, MODULES, CLOSABLE, starts=0)

    assert effective_state([closure(1, FULL, starts=0)], T0).is_closed(None) is True
    for level in (READONLY, SYNC):
        assert effective_state([closure(1, level, starts=0)], T0).is_closed(None) is False
    assert effective_state([everything_closable], T0).is_closed(None) is False
    assert effective_state([], T0).is_closed(None) is False


def test_the_never_closed_capabilities_stay_open_at_every_level_even_when_named():
    for level in LEVELS:
        state = effective_state([closure(1, level, ALL, starts=0)], T0)

        assert not any(state.is_closed(capability) for capability in NEVER_CLOSED), level
        assert state.closed.isdisjoint(NEVER_CLOSED)


def test_lookup_and_support_stay_open_in_full_maintenance_unless_named():
    full = closure(1, FULL, starts=0)
    full_with_lookup = closure(1, FULL, [LOOKUP], starts=0)

    assert effective_state([full], T0).closed == CLOSABLE - OPEN_UNLESS_NAMED
    assert effective_state([full_with_lookup], T0).closed == CLOSABLE - {SUPPORT}
    assert effective_state([full, closure(2, MODULES, [SUPPORT], starts=0)], T0).is_closed(SUPPORT) is True


def test_readonly_closes_orders_and_payments_and_sync_closes_no_page():
    assert effective_state([closure(1, READONLY, starts=0)], T0).closed == {CHECKOUT, PAYMENT}
    assert effective_state([closure(1, SYNC, starts=0)], T0).closed == frozenset()
    assert effective_state([closure(1, SYNC, starts=0)], T0).sync_paused is True
    assert effective_state([closure(1, READONLY, starts=0)], T0).is_closed(BROWSE) is False


# The oracle below restates the rules independently of ClosureView.closes and .active_at.
LEVEL_CLOSES = {FULL: CLOSABLE - OPEN_UNLESS_NAMED, READONLY: {CHECKOUT, PAYMENT}, MODULES: set(), SYNC: set()}


def _on_at(window: ClosureView, at: datetime) -> bool:
    ends = [moment for moment in (window.ends_at, window.ended_at) if moment is not None]
    return window.starts_at <= at and all(at < end for end in ends)


@st.composite
def closures(draw, id: int):
    starts = draw(st.integers(-120, 120))
    return closure(id, draw(st.sampled_from(LEVELS)), draw(st.sets(st.sampled_from(sorted(ALL)), max_size=4)),
                   starts=starts, ends=draw(st.none() | st.integers(starts + 1, starts + 240)),
                   ended=draw(st.none() | st.integers(-120, 240)), eta=draw(st.none() | st.integers(-60, 300)))


@hypothesis_settings(database=None, max_examples=300)
@given(data=st.data(), count=st.integers(0, 6), at=st.integers(-150, 400))
def test_the_closed_set_is_the_union_over_the_closures_on_at_that_moment(data, count, at):
    windows = [data.draw(closures(id)) for id in range(1, count + 1)]
    moment = minutes(at)
    on = [window for window in windows if _on_at(window, moment)]

    state = effective_state(windows, moment)

    assert state.closed == frozenset().union(*((LEVEL_CLOSES[w.level] | w.capabilities) - NEVER_CLOSED for w in on))
    assert {c.id for c in state.active} == {w.id for w in on}
    assert state.is_closed(None) == any(w.level == FULL for w in on)
