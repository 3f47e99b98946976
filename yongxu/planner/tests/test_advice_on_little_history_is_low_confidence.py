import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from yongxu.planner.models import TrafficBucket

pytestmark = pytest.mark.django_db
AS_OF = "2024-05-02T00:00:00+00:00"


def advise_json() -> dict:
    out = StringIO()
    call_command("maintenance", "advise", "--duration", "2h", "--within", "1d", "--as-of", AS_OF, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_no_history_still_advises_the_night_and_says_why(settings):
    settings.YONGXU_SHOP_TZ = "Asia/Shanghai"

    advice = advise_json()

    assert advice["confidence"] == "low"
    assert "no history at all" in advice["notes"][0]
    assert advice["ranking"][0]["starts_at"] == "2024-05-02T19:00:00+00:00"  # 03:00–05:00 in Shanghai
    assert advice["ranking"][0]["cost"] == 0.0


def test_one_day_of_history_says_the_week_is_not_known_yet(settings):
    settings.YONGXU_SHOP_TZ = "UTC"
    day = datetime(2024, 5, 1, tzinfo=UTC)
    TrafficBucket.objects.bulk_create([TrafficBucket(source="shop", bucket=day + i * timedelta(minutes=15), orders=1,
                                                     gmv=Decimal("10.00"), buyers=1) for i in range(96) if not 8 <= i < 24])

    advice = advise_json()

    assert advice["confidence"] == "low"
    assert advice["notes"][0].startswith("only 1.0 days of history")
    assert advice["ranking"][0]["starts_at"] == "2024-05-02T03:00:00+00:00"  # inside the empty 02:00–06:00, nearest 04:00
    assert advice["ranking"][0]["cost"] == 0.0
