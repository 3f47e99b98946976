"""The shared real data set (a UK online shop, 2010-12 to 2011-12): import it, then measure the advisor's
realised regret over the last 12 weeks against hindsight and the habit rule."""

import json
from datetime import datetime, time, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command

DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "online_retail_2010_2011.parquet"
pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not DATA.exists(), reason=f"needs the shared real data set at {DATA} (CI has it)")]


def test_import_then_backtest_twelve_weeks():
    out = StringIO()
    call_command("traffic", "import", str(DATA), "--ts-col", "InvoiceDate", "--qty-col", "Quantity", "--price-col", "UnitPrice",
                 "--customer-col", "CustomerID", "--country-col", "Country", "--order-col", "InvoiceNo",
                 "--tz", "Europe/London", "--drop-negative", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("imported 532619 lines into 18857 buckets as import:")
    assert "GMV 10666684.54; 9290 negative lines left out" in out.getvalue()

    out = StringIO()
    call_command("maintenance", "backtest", "--duration", "2h", "--weeks", "12", "--json", stdout=out)
    result = json.loads(out.getvalue())

    assert result["zone"] == "Europe/London"
    assert [week["week_start"][:10] for week in result["weeks"]][:2] == ["2011-09-11", "2011-09-18"]  # Mondays 00:00 BST
    assert result["summary"] == {"weeks": 12, "mean_regret": 0.0, "worst_regret": 0.0, "mean_habit_regret": 0.0,
                                 "worst_habit_regret": 0.0, "mean_regret_share": 0.0, "mean_habit_regret_share": 0.0}


def test_with_staff_hours_the_advisor_beats_the_habit_rule():
    """09:00–18:00 London: windows compete with sales, so regret tells the advisor from the habit rule
    (Tuesday 09:00, the first staff-hours slot). Also the forecast's accuracy, week by week."""
    call_command("traffic", "import", str(DATA), "--ts-col", "InvoiceDate", "--qty-col", "Quantity", "--price-col", "UnitPrice",
                 "--customer-col", "CustomerID", "--country-col", "Country", "--order-col", "InvoiceNo",
                 "--tz", "Europe/London", "--drop-negative", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("maintenance", "backtest", "--duration", "2h", "--weeks", "12", "--staff-hours", "09:00-18:00",
                 "--staff-tz", "Europe/London", "--json", stdout=out)
    result = json.loads(out.getvalue())
    summary = result["summary"]

    assert result["habit"] == "09:00 Europe/London Tue"
    assert summary["weeks"] == 12
    assert summary["mean_habit_regret"] > 0
    assert summary["mean_regret"] <= summary["mean_habit_regret"]
    london = ZoneInfo("Europe/London")
    for week in result["weeks"]:
        for key in ("chosen_start", "best_start", "habit_start"):
            local = datetime.fromisoformat(week[key]).astimezone(london)
            assert time(9) <= local.time() and (local + timedelta(hours=2)).time() <= time(18), (key, local)

    out = StringIO()
    call_command("traffic", "forecast", "--accuracy", "--weeks", "12", "--json", stdout=out)
    accuracy = json.loads(out.getvalue())["summary"]
    assert accuracy["weeks"] == 12
    assert accuracy["mean_mase"] < accuracy["mean_naive_mase"]
    assert accuracy["mean_mae"] < accuracy["mean_naive_mae"]
