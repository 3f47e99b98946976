"""`yongxu maintenance status|on|off|progress|token` for operators and pipelines. Exit codes: 0 done
(status: all open), 3 status found something closed, 2 refused input."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yongxu.audit.models import AuditEntry
from yongxu.maintenance.models import Closure
from yongxu.maintenance.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def maintenance(*args) -> str:
    out = StringIO()
    call_command("maintenance", *args, stdout=out)
    return out.getvalue()


def test_status_of_an_open_shop_exits_normally(client):
    assert maintenance("status") == "open: every capability is open\n"


def test_status_exits_3_when_something_is_closed(frozen):
    maintenance("on", "--level", "modules", "--modules", "payment")

    with pytest.raises(SystemExit) as exit:
        maintenance("status")

    assert exit.value.code == 3


def test_on_closes_and_off_reopens(client):
    maintenance("on", "--level", "readonly", "--public-reason", "Upgrade")
    assert client.post("/p/any/buy/").status_code == 503

    output = maintenance("off")

    assert output == "open: every capability is open\n"
    assert client.post("/p/any/buy/").status_code != 503
    assert [entry.actor for entry in AuditEntry.objects.filter(action__startswith="maintenance.")] == ["cli", "cli"]


def test_json_output_parses(frozen):
    output = maintenance("on", "--level", "readonly", "--eta", "+30m", "--public-reason", "Upgrade", "--json")

    data = json.loads(output)
    assert (data["in_maintenance"], data["level"], data["closed"]) == (True, "readonly", ["checkout", "payment"])
    assert data["eta"] == (NOW + timedelta(minutes=30)).isoformat()
    assert data["public_reason"] == "Upgrade"


def test_status_json_parses_even_when_it_exits_3(frozen):
    maintenance("on", "--level", "full", "--eta", "2025-06-01T14:00:00+08:00")
    out = StringIO()

    with pytest.raises(SystemExit):
        call_command("maintenance", "status", "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert (data["in_maintenance"], data["level"], data["eta"]) == (True, "full", "2025-06-01T06:00:00+00:00")


def test_a_bad_eta_is_refused_with_code_2_and_changes_nothing():
    with pytest.raises(CommandError) as error:
        maintenance("on", "--level", "full", "--eta", "tomorrow-ish")

    assert error.value.returncode == 2
    assert "bad_eta" in str(error.value)
    assert Closure.objects.count() == 0


def test_an_unknown_module_is_refused_with_code_2_and_changes_nothing():
    with pytest.raises(CommandError) as error:
        maintenance("on", "--level", "modules", "--modules", "checkout,teleport")

    assert error.value.returncode == 2
    assert "teleport" in str(error.value)
    assert Closure.objects.count() == 0
    assert not AuditEntry.objects.filter(action="maintenance.closed").exists()


def test_a_never_closed_module_is_refused_with_code_2():
    with pytest.raises(CommandError) as error:
        maintenance("on", "--level", "modules", "--modules", "payment-notify")

    assert error.value.returncode == 2
    assert Closure.objects.count() == 0


def test_progress_without_maintenance_is_refused_with_code_2():
    with pytest.raises(CommandError) as error:
        maintenance("progress", "40")

    assert error.value.returncode == 2
    assert "not_in_maintenance" in str(error.value)


def test_on_with_secret_prints_a_bypass_link(client, settings):
    output = maintenance("on", "--level", "full", "--secret")

    secret = Closure.objects.get().secret_id
    assert len(secret) >= 20
    assert f"bypass link: {settings.SITE_URL}/maintenance/bypass/{secret}/" in output
    assert client.get(f"/maintenance/bypass/{secret}/").status_code == 302


def test_on_with_a_chosen_secret_uses_it(settings):
    output = maintenance("on", "--level", "full", "--secret", "release-2025-06")

    assert f"{settings.SITE_URL}/maintenance/bypass/release-2025-06/" in output


def test_on_without_secret_prints_no_link():
    output = maintenance("on", "--level", "full")

    assert "bypass" not in output
    assert Closure.objects.get().secret_id == ""


def test_progress_updates_the_status_feed(client):
    maintenance("on", "--level", "full")

    maintenance("progress", "40", "--note", "x", "--step", "backup")

    status = client.get("/status.json").json()
    assert (status["progress"], status["progress_note"], status["steps"]) == (40, "x", [{"name": "backup", "done": True}])


def test_a_created_token_authorises_the_api(client):
    token = maintenance("token", "create", "ci").strip()

    response = client.get("/api/v1/maintenance", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["in_maintenance"] is False


def test_a_revoked_token_no_longer_authorises(client):
    token = maintenance("token", "create", "ci").strip()

    assert maintenance("token", "revoke", "ci") == "revoked ci\n"
    assert client.get("/api/v1/maintenance", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_revoking_an_unknown_token_is_refused_with_code_2():
    with pytest.raises(CommandError) as error:
        maintenance("token", "revoke", "nobody")

    assert error.value.returncode == 2
