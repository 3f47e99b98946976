"""Forecast accuracy against the seasonal-naive forecast on a synthetic series whose answer is known.

Nine weeks at 100 per 15-minute slot, the tenth (the last before the tested week) at 200, the tested week
at 100 again. Seasonal naive says 200 per slot: 400 too much every hour. The forecast (two weeks of fit)
learns a profile between 100 and 200 and scales it by the level of the last two weeks, so over the week it
forecasts (100 + 200) / 2 = 150 per slot on average, every slot above 100: MAE = 4 × 150 − 400 = 200.
In-sample seasonal-naive MAE: 9 hour-lagged weeks, one of them 400 off every hour → 400 / 9."""

from datetime import timedelta

import numpy as np
import pytest

from yongxu.planner import accuracy
from yongxu.planner.forecast import Config
from yongxu.planner.history import History
from yongxu.planner.tests.conftest import MONDAY


def series() -> History:
    gmv = np.concatenate([np.full(672 * 9, 100.0), np.full(672, 200.0), np.full(672, 100.0)])
    return History(start=MONDAY, orders=np.ones_like(gmv), gmv=gmv, buyers=np.zeros_like(gmv))


def test_mae_and_mase_against_seasonal_naive():
    result = accuracy.run(series(), zone="UTC", weeks=1, config=Config(fit_weeks=2))

    [week] = result.weeks
    assert week.week_start == MONDAY + timedelta(weeks=10)
    assert week.hours == 168
    assert week.actual_gmv == pytest.approx(100 * 672)
    assert week.naive_mae == pytest.approx(400)
    assert week.mae == pytest.approx(200)
    assert week.scale == pytest.approx(400 / 9)
    assert week.mase == pytest.approx(4.5)
    assert week.naive_mase == pytest.approx(9.0)
    assert week.relative == pytest.approx(0.5)
    assert result.summary()["weeks_won"] == 1
    assert "| 2024-03-11 | 168 | 67200.00 | 200.00 | 400.00 | 4.500 | 9.000 | 0.500 |" in accuracy.markdown(result)


def test_naive_is_the_same_local_slot_across_a_dst_change():
    """Europe/London, the week after the clocks go back: Monday 09:00 GMT is compared with Monday 09:00 BST."""
    from datetime import UTC, datetime

    start = datetime(2011, 10, 17, tzinfo=UTC)
    history = History(start=start, orders=np.zeros(672 * 4), gmv=np.zeros(672 * 4), buyers=np.zeros(672 * 4))
    monday_gmt_9 = history.index_of(datetime(2011, 10, 31, 9, tzinfo=UTC))
    [earlier] = accuracy.naive_indices(history, monday_gmt_9, monday_gmt_9 + 1, "Europe/London")
    assert history.start + earlier * timedelta(minutes=15) == datetime(2011, 10, 24, 8, tzinfo=UTC)  # 09:00 BST
