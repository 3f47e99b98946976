"""Property: the advisor's first row is never worse than any start on the grid. The oracle forecasts
each window on its own and adds the terms up slot by slot."""

from datetime import time, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yongxu.planner.advisor import Request, _daylight_buyers, advise, allowed, lost_fraction
from yongxu.planner.forecast import fit, predict
from yongxu.planner.history import STEP, ceil_slot
from yongxu.planner.tests.conftest import MONDAY, weekly


def oracle(model, request, start, width):
    ahead = predict(model, start, width)
    fraction = lost_fraction(request.level, request.modules)
    per_buyer = model.profile["gmv"].sum() / model.profile["buyers"].sum() if model.profile["buyers"].sum() else 0.0
    total = 0.0
    for i in range(width):
        lost = ahead.values["gmv"][i] * fraction
        total += (
            lost - lost * request.recapture + _daylight_buyers(model, ahead)[i] * per_buyer * request.goodwill * (fraction > 0)
        )
    return total


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    width=st.integers(1, 12),
    within_hours=st.integers(4, 72),
    offset_minutes=st.integers(0, 600),
    staff=st.booleans(),
    zone=st.sampled_from(["UTC", "Asia/Shanghai", "America/New_York"]),
)
def test_first_row_is_the_minimum_over_the_grid(seed, width, within_hours, offset_minutes, staff, zone):
    rng = np.random.default_rng(seed)
    history = weekly(rng.integers(0, 50, 672).astype(float), weeks=3, buyers=rng.integers(0, 5, 672).astype(float))
    as_of = MONDAY + timedelta(weeks=3, minutes=offset_minutes)
    model = fit(history, as_of=as_of, zone=zone)
    request = Request(
        duration=width * STEP,
        within=timedelta(hours=within_hours),
        as_of=as_of,
        top=3,
        staff_hours=(time(6, 0), time(20, 0)) if staff else None,
        staff_tz="Asia/Shanghai" if staff else "",
    )
    first = ceil_slot(as_of)
    starts = [first + i * STEP for i in range(int((as_of + request.within - first) / STEP) - width + 1)]
    ok = allowed(starts, width, request)
    if not ok.any():
        return
    costs = [oracle(model, request, start, width) for start, good in zip(starts, ok, strict=True) if good]

    best = advise(model, request).ranking[0]

    assert abs(best.cost - min(costs)) < 1e-6
    assert best.starts_at in [s for s, good in zip(starts, ok, strict=True) if good]
