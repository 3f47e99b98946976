from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from yongxu.planner.models import TrafficBucket

pytestmark = pytest.mark.django_db


def test_zoned_and_naive_times_land_in_the_right_utc_buckets(tmp_path):
    # given: two naive London times (winter: UTC+0), one zoned time, a buyer twice in one bucket
    path = tmp_path / "old.csv"
    path.write_text("when,qty,price,customer,country\n"
                    "2024-01-10 09:01,2,5.00,c1,United Kingdom\n"
                    "2024-01-10 09:14,1,3.50,c1,United Kingdom\n"
                    "2024-01-10T17:20:00+08:00,1,10,c2,DE\n")
    err = StringIO()

    call_command("traffic", "import", str(path), "--ts-col", "when", "--qty-col", "qty", "--price-col", "price",
                 "--customer-col", "customer", "--country-col", "country", "--tz", "Europe/London",
                 stdout=StringIO(), stderr=err)

    rows = sorted(TrafficBucket.objects.values_list("bucket", "country", "orders", "gmv", "buyers"))
    assert rows == [
        (datetime(2024, 1, 10, 9, 0, tzinfo=UTC), "", 2, Decimal("13.50"), 1),
        (datetime(2024, 1, 10, 9, 0, tzinfo=UTC), "GB", 2, Decimal("13.50"), 1),
        (datetime(2024, 1, 10, 9, 15, tzinfo=UTC), "", 1, Decimal("10.00"), 1),  # 17:20 in UTC+8
        (datetime(2024, 1, 10, 9, 15, tzinfo=UTC), "DE", 1, Decimal("10.00"), 1),
    ]
    assert "100% writing buckets" in err.getvalue()
