"""`yongxu maintenance advise ... --schedule N` schedules the N-th window of the ranking as a real
planned window (the one windows.schedule_window) and prints its id; with --json the output gains
{"window": {"id": ...}}. A rank outside the ranking exits 2 and schedules nothing."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from yongxu.maintenance.models import Closure, MaintenanceWindow

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 2, 0, 0, tzinfo=UTC)


def advise(*args) -> str:
    out = StringIO()
    call_command("maintenance", "advise", "--duration", "2h", "--within", "2d", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_the_second_window_is_scheduled_and_its_id_printed(settings):
    settings.YONGXU_SHOP_TZ = "Asia/Shanghai"
    ranking = json.loads(advise("--json"))["ranking"]

    output = advise("--schedule", "2", "--title", "Database upgrade", "--public-reason", "Faster checkout")

    window = MaintenanceWindow.objects.get()
    start = datetime.fromisoformat(ranking[1]["starts_at"])
    assert output.splitlines()[-1] == (f"scheduled #2 as window {window.pk}: “Database upgrade”, full from "
                                       f"{start:%Y-%m-%d %H:%M}Z to {start + timedelta(hours=2):%H:%M}Z")
    assert (window.title, window.public_reason, window.planned_start, window.planned_end, window.created_by) == (
        "Database upgrade", "Faster checkout", start, start + timedelta(hours=2), "cli")
    assert Closure.objects.get().source == f"window:{window.pk}"
    assert [update.kind for update in window.updates.all()] == ["scheduled"]


@time_machine.travel(NOW, tick=False)
def test_json_output_gains_the_window():
    data = json.loads(advise("--schedule", "1", "--json"))

    window = MaintenanceWindow.objects.get()
    assert data["window"]["id"] == window.pk
    assert (data["window"]["planned_start"], data["window"]["title"]) == (data["ranking"][0]["starts_at"],
                                                                         "Planned maintenance")
    assert len(data["ranking"]) == 5


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("rank", "message"), [
    ("6", "bad_advice_request: --schedule 6: only 5 windows are ranked (see --top)"),
    ("0", "bad_advice_request: --schedule 0: give the rank of a window in the ranking (1 is the best)")])
def test_a_rank_outside_the_ranking_exits_2_and_schedules_nothing(rank, message):
    with pytest.raises(CommandError) as refused:
        advise("--schedule", rank)

    assert (refused.value.returncode, str(refused.value)) == (2, message)
    assert (MaintenanceWindow.objects.count(), Closure.objects.count()) == (0, 0)


@time_machine.travel(NOW, tick=False)
def test_advice_as_of_the_past_cannot_be_scheduled():
    with pytest.raises(CommandError) as refused:
        advise("--as-of", "2024-04-01T00:00:00+00:00", "--schedule", "1")

    assert refused.value.returncode == 2
    assert MaintenanceWindow.objects.count() == 0
