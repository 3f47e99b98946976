from datetime import UTC, date, datetime, timedelta

from yongxu.planner.forecast import fit, predict
from yongxu.planner.tests.conftest import flat_week, weekly


def test_a_shop_that_closes_on_bank_holidays_is_forecast_closed_on_the_next_one():
    # given: a London shop selling 100 per slot every day, nothing on Good Friday 2024 (29 March, still GMT)
    history = weekly(flat_week(), weeks=6, start=datetime(2024, 3, 4, tzinfo=UTC))
    good_friday = history.index_of(datetime(2024, 3, 29, tzinfo=UTC))
    history.gmv[good_friday:good_friday + 96] = 0.0
    as_of = datetime(2024, 4, 15, tzinfo=UTC)

    model = fit(history, as_of=as_of, zone="Europe/London")
    ahead = predict(model, datetime(2024, 5, 6, 9, tzinfo=UTC), 4)  # Early May bank holiday, 10:00 BST

    assert (model.holidays_seen, model.holiday_ratio) == (1, 0.0)
    assert list(ahead.values["gmv"]) == [0.0, 0.0, 0.0, 0.0]
    assert ahead.day_notes == {date(2024, 5, 6): "May Day (GB)"}
    assert round(predict(model, datetime(2024, 5, 7, 9, tzinfo=UTC), 1).values["gmv"][0], 6) == 100.0


def test_a_chinese_make_up_working_sunday_gets_the_weekday_profile():
    # given: Shanghai shop selling 100 per slot on weekdays, 10 at weekends; Sunday 29 Sept 2024 is a 调休 working day
    week = flat_week()
    week[5 * 96:] = 10.0
    history = weekly(week, weeks=4, start=datetime(2024, 8, 4, 16, tzinfo=UTC))  # Monday 00:00 Shanghai
    as_of = datetime(2024, 9, 1, tzinfo=UTC)

    model = fit(history, as_of=as_of, zone="Asia/Shanghai")
    sunday = predict(model, datetime(2024, 9, 29, 2, tzinfo=UTC), 1)  # 10:00 in Shanghai

    assert round(sunday.values["gmv"][0], 6) == 100.0
    assert sunday.day_notes == {date(2024, 9, 29): "make-up working day (CN)"}
    assert round(predict(model, as_of + timedelta(days=6, hours=2), 1).values["gmv"][0], 6) == 10.0
