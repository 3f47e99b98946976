"""A bad file gets one clear error naming the column or the line, and nothing is imported."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yongxu.planner.models import TrafficBucket, TrafficImport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        (
            "ts,amount\n2024-01-10T09:01:00Z,5\n",
            ["--ts-col", "time", "--amount-col", "amount"],
            "bad_import: no column 'time' in the file (it has: ts, amount)",
        ),
        (
            "ts,amount\n2024-01-10T09:01:00Z,5\nyesterday,3\n",
            ["--ts-col", "ts", "--amount-col", "amount"],
            "bad_import: line 3: column 'ts': 'yesterday' is not a date and time",
        ),
        (
            "ts,amount\n2024-01-10T09:01:00Z,5\n2024-01-10T09:02:00Z,lots\n",
            ["--ts-col", "ts", "--amount-col", "amount"],
            "bad_import: line 3: column 'amount': 'lots' is not a number",
        ),
        (
            "ts,amount\n2024-01-10 09:01,5\n",
            ["--ts-col", "ts", "--amount-col", "amount"],
            "bad_import: column 'ts' has times without a zone: say which with --tz (e.g. --tz Europe/London)",
        ),
        (
            "ts,amount\n2024-01-10T09:01:00Z,5\n2024-01-10T09:02:00Z,-5\n",
            ["--ts-col", "ts", "--amount-col", "amount"],
            "bad_import: line 3: a negative amount (-5.00) — 1 lines are refunds or cancellations; "
            "pass --drop-negative to leave them out",
        ),
        (
            "ts,amount\n2024-01-10 09:01,5\n",
            ["--ts-col", "ts", "--amount-col", "amount", "--tz", "Europe/Atlantis"],
            "bad_import: unknown time zone 'Europe/Atlantis' (use an IANA name such as Asia/Shanghai)",
        ),
    ],
)
def test_bad_file_is_refused_and_nothing_imported(tmp_path, text, args, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)

    with pytest.raises(CommandError) as refused:
        call_command("traffic", "import", str(path), *args, stdout=StringIO(), stderr=StringIO())

    assert refused.value.returncode == 2
    assert str(refused.value) == message
    assert (TrafficBucket.objects.count(), TrafficImport.objects.count()) == (0, 0)


def test_drop_negative_leaves_refunds_out(tmp_path):
    path = tmp_path / "refunds.csv"
    path.write_text("ts,amount\n2024-01-10T09:01:00Z,5\n2024-01-10T09:02:00Z,-5\n")

    call_command(
        "traffic",
        "import",
        str(path),
        "--ts-col",
        "ts",
        "--amount-col",
        "amount",
        "--drop-negative",
        stdout=StringIO(),
        stderr=StringIO(),
    )

    assert list(TrafficBucket.objects.values_list("orders", "gmv")) == [(1, 5)]
