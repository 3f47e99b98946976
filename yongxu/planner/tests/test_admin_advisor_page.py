from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from yongxu.maintenance.models import Closure, MaintenanceWindow
from yongxu.planner.models import TrafficBucket

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 6, 0, 0, tzinfo=UTC)  # a Monday


def two_weeks_of_daytime_sales():
    start = NOW - timedelta(days=14)
    TrafficBucket.objects.bulk_create([
        TrafficBucket(source="shop", bucket=start + i * timedelta(minutes=15), country=country, orders=1,
                      gmv=Decimal("10.00"), buyers=1)
        for i in range(14 * 96) if 32 <= i % 96 < 88 for country in ("", "GB")])


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_ranking_and_two_heatmaps_that_do_not_rely_on_colour(client, operator, settings):
    settings.YONGXU_SHOP_TZ = "Asia/Shanghai"
    two_weeks_of_daytime_sales()
    client.force_login(operator)

    page = client.get("/admin/advisor/?duration=2h&within=2d").content.decode()

    assert page.count("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=") == 2
    assert "Shop zone Asia/Shanghai" in page and "Buyer zone Europe/London" in page
    assert "Dashed outline = proposed window" in page and "#1</text>" in page
    assert page.count(">1.0</text>") == 2 * 98  # 14 selling hours a day, each 1/98 of the week, printed in its cell
    assert page.count("Schedule this window") == 5


@time_machine.travel(NOW, tick=False)
def test_schedule_this_window_creates_a_planned_window_and_shows_it(client, operator):
    client.force_login(operator)
    start = NOW + timedelta(days=1, hours=19)

    response = client.post("/admin/advisor/", {"starts_at": start.isoformat(), "minutes": "120", "level": "full",
                                               "title": "Database upgrade"})

    window = MaintenanceWindow.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/maintenance/maintenancewindow/{window.pk}/change/"
    assert (window.title, window.level, window.planned_start, window.planned_end) == (
        "Database upgrade", "full", start, start + timedelta(hours=2))
    assert list(Closure.objects.values_list("source", "level", "starts_at", "ends_at")) == [
        (f"window:{window.pk}", "full", start, None)]
    assert client.get("/").status_code == 200  # the banner of a real window renders


def test_staff_without_the_operate_permission_cannot_schedule(client, merchant):
    client.force_login(merchant)

    response = client.post("/admin/advisor/", {"starts_at": "2030-01-01T00:00:00+00:00", "minutes": "120"})

    assert response.status_code == 403
    assert Closure.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_predictive_maintenance_warnings(client, operator):
    from yongxu.planner.models import DatabaseSize

    two_weeks_of_daytime_sales()
    DatabaseSize.objects.create(taken_at=NOW - timedelta(days=2), db_bytes=100 * 2**20, free_bytes=2**30 + 10 * 2**20)
    DatabaseSize.objects.create(taken_at=NOW - timedelta(days=1), db_bytes=105 * 2**20, free_bytes=2**30 + 5 * 2**20)
    client.force_login(operator)

    page = client.get("/admin/advisor/?duration=2h&within=2d").content.decode()

    assert "<h2>Predictive maintenance</h2>" in page and 'id="warnings"' in page
    assert "database: 105.0 MiB, growing +5.00 MiB a day over 2 samples" in page
    assert "in 1.0 days (2024-05-07 00:00 UTC)" in page  # 5 MiB of headroom above the reserve, 5 MiB a day
    assert DatabaseSize.objects.count() == 2  # a page view records nothing
