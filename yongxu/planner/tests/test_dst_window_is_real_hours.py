from datetime import UTC, datetime, timedelta

from yongxu.planner.advisor import Request, advise
from yongxu.planner.forecast import fit
from yongxu.planner.tests.conftest import flat_week, weekly


def test_a_window_across_spring_forward_lasts_two_real_hours():
    # given: London shop, flat traffic except that 00:00–03:00 UTC costs nothing; clocks go forward 31 March 2024 01:00 UTC
    week = flat_week()
    for day in range(7):
        week[day * 96:day * 96 + 12] = 0.0
    history = weekly(week, weeks=4, start=datetime(2024, 2, 26, tzinfo=UTC))
    as_of = datetime(2024, 3, 30, 12, tzinfo=UTC)

    advice = advise(fit(history, as_of=as_of, zone="Europe/London"),
                    Request(duration=timedelta(hours=2), within=timedelta(hours=30), top=3))

    first = advice.ranking[0]
    assert first.starts_at == datetime(2024, 3, 31, 0, 0, tzinfo=UTC)
    assert first.ends_at - first.starts_at == timedelta(hours=2)
    assert first.reason.startswith("Sun 00:00–03:00 Europe/London")  # 00:00 GMT to 03:00 BST: two real hours
