"""Synthetic histories whose optimum is known, built without the database."""

from datetime import UTC, datetime

import numpy as np

from yongxu.planner.history import History

MONDAY = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday, 00:00 UTC


def weekly(week: np.ndarray, *, weeks: int, start: datetime = MONDAY, buyers: np.ndarray | None = None) -> History:
    """``week`` (672 GMV values, one per 15-minute slot from Monday 00:00) repeated ``weeks`` times; one order
    per slot that sells; buyers as given (default none, so the daylight goodwill term is zero)."""
    gmv = np.tile(np.asarray(week, dtype=float), weeks)
    return History(start=start, orders=(gmv > 0).astype(float), gmv=gmv,
                   buyers=np.zeros_like(gmv) if buyers is None else np.tile(buyers, weeks))


def flat_week(value: float = 100.0) -> np.ndarray:
    return np.full(672, value)
