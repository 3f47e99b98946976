from io import StringIO

import pytest
from django.core.management import call_command

from yongxu.planner.models import TrafficBucket, TrafficImport

pytestmark = pytest.mark.django_db


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text("ts,amount\n2024-01-10T09:01:00Z,5\n2024-01-10T10:01:00Z,7\n")
    call_command("traffic", "import", str(path), "--ts-col", "ts", "--amount-col", "amount", stdout=StringIO(), stderr=StringIO())
    before = list(TrafficBucket.objects.order_by("pk").values_list("pk", "bucket", "gmv"))
    out = StringIO()

    call_command("traffic", "import", str(path), "--ts-col", "ts", "--amount-col", "amount", stdout=out, stderr=StringIO())

    assert list(TrafficBucket.objects.order_by("pk").values_list("pk", "bucket", "gmv")) == before
    assert TrafficImport.objects.count() == 1
    assert out.getvalue().startswith("already imported as import:")
    assert out.getvalue().endswith(": nothing changed (2 buckets)\n")
