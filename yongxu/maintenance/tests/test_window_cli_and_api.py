from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yongxu.maintenance.models import MaintenanceWindow, Phase
from yongxu.maintenance.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def _cli(*args) -> str:
    out = StringIO()
    call_command("maintenance", *args, stdout=out)
    return out.getvalue().strip()


def test_schedule_prints_the_id_and_the_other_verbs_drive_it(frozen):
    window_id = int(_cli("schedule", "--title", "Upgrade", "--start", "+2h", "--duration", "90m", "--level", "readonly",
                         "--step", "backup"))

    window = MaintenanceWindow.objects.get(pk=window_id)
    assert (window.planned_start, window.planned_end) == (NOW + timedelta(hours=2), NOW + timedelta(hours=3, minutes=30))
    _cli("start", str(window_id), "--note", "early")
    _cli("update", str(window_id), "--step", "backup", "--eta", "+45m")
    _cli("verify", str(window_id))
    assert _cli("complete", str(window_id)).startswith(f"window #{window_id}: Completed")
    window.refresh_from_db()
    assert window.phase == Phase.DONE
    assert window.eta == NOW + timedelta(minutes=45)


def test_bad_input_exits_2(frozen):
    with pytest.raises(CommandError) as bad_duration:
        _cli("schedule", "--title", "X", "--start", "+1h", "--duration", "soon")
    with pytest.raises(CommandError) as missing:
        _cli("start", "999")

    assert (bad_duration.value.returncode, missing.value.returncode) == (2, 2)


def test_pipelines_schedule_through_the_api(frozen, client, settings):
    settings.YONGXU_OPERATOR_TOKEN = "pipeline-secret"
    auth = {"HTTP_AUTHORIZATION": "Bearer pipeline-secret"}

    created = client.post("/api/v1/maintenance/windows", {"title": "Deploy", "start": "+1h", "duration": "30m",
                                                          "level": "modules", "modules": ["checkout"]},
                          content_type="application/json", **auth)
    window_id = created.json()["id"]
    started = client.post(f"/api/v1/maintenance/windows/{window_id}/start", {"note": "go"},
                          content_type="application/json", **auth)

    assert created.status_code == 201
    assert started.json()["phase"] == "execute"
    assert client.post(f"/api/v1/maintenance/windows/{window_id}/start", {}, content_type="application/json").status_code == 401
