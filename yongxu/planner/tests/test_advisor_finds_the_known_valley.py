from datetime import timedelta

from yongxu.planner.advisor import Request, advise
from yongxu.planner.forecast import fit
from yongxu.planner.tests.conftest import MONDAY, flat_week, weekly


def test_the_cheapest_window_is_the_valley_with_every_term_shown():
    # given: 100 per slot all week, but 1 per slot on Wednesdays 03:00–05:00 UTC
    week = flat_week()
    valley = 2 * 96 + 3 * 4
    week[valley:valley + 8] = 1.0
    history = weekly(week, weeks=4)
    as_of = MONDAY + timedelta(weeks=4)

    # when
    advice = advise(fit(history, as_of=as_of, zone="UTC"), Request(duration=timedelta(hours=2), within=timedelta(days=7)))

    # then
    best = advice.ranking[0]
    assert best.starts_at == as_of + timedelta(days=2, hours=3)
    assert best.ends_at == as_of + timedelta(days=2, hours=5)
    assert round(best.forecast_gmv, 6) == 8.0
    assert (round(best.lost, 6), round(best.recaptured, 6), best.penalty, best.goodwill) == (8.0, 4.8, 0.0, 0.0)
    assert round(best.cost, 6) == 3.2
    assert round(advice.weekly_gmv, 6) == 100 * 664 + 8
    assert best.reason.startswith("Wed 03:00–05:00 UTC: 0.0% of weekly GMV; 0% of buyers in daylight")
    assert advice.confidence == "normal"
