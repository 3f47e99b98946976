from datetime import timedelta

from yongxu.planner.advisor import Request, advise
from yongxu.planner.forecast import Event, fit
from yongxu.planner.tests.conftest import MONDAY, flat_week, weekly


def test_the_quiet_night_next_to_a_promotion_is_avoided_and_the_penalty_shown():
    # given: quiet Tuesday and Saturday nights; a sale all Wednesday (blocked: Monday 00:00 to Saturday 00:00)
    week = flat_week()
    for day in (1, 5):
        week[day * 96 + 12:day * 96 + 20] = 1.0
    as_of = MONDAY + timedelta(weeks=4)
    sale = Event("Double-11 sale", as_of + timedelta(days=2), as_of + timedelta(days=3), 1.0)
    model = fit(weekly(week, weeks=4), as_of=as_of, zone="UTC", events=[sale])

    advice = advise(model, Request(duration=timedelta(hours=2), within=timedelta(days=7), top=100))

    assert advice.ranking[0].starts_at == as_of + timedelta(days=5, hours=3)  # Saturday: Tuesday is within 48 h
    assert advice.ranking[0].reason.endswith("; 2 days after Double-11 sale")
    tuesday = next(c for c in advice.ranking if c.starts_at == as_of + timedelta(days=1, hours=3))
    assert round(tuesday.penalty, 2) == round(advice.weekly_gmv * 2, 2)
    assert "within 48 h of Double-11 sale" in tuesday.reason
