"""GET/POST /api/v1/maintenance for pipelines: an operator token (Bearer) or nothing; reachable in
full maintenance; every change audit-logged with the token as its actor."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from yongxu.audit.models import AuditEntry
from yongxu.maintenance.models import Closure
from yongxu.maintenance.tests.conftest import NOW, switch_on

pytestmark = pytest.mark.django_db

URL = "/api/v1/maintenance"


@pytest.fixture
def token() -> str:
    out = StringIO()
    call_command("maintenance", "token", "create", "pipeline", stdout=out)
    return out.getvalue().strip()


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, token: str, **payload):
    return client.post(URL, payload, content_type="application/json", **bearer(token))


def maintenance_entries() -> list[tuple[str, str]]:
    return list(AuditEntry.objects.filter(action__startswith="maintenance.").values_list("action", "actor"))


def test_without_a_token_it_is_unauthorised(client):
    get = client.get(URL)
    change = client.post(URL, {"action": "on"}, content_type="application/json")

    assert (get.status_code, get.json()["error"]) == (401, "unauthorised")
    assert (change.status_code, change.json()["error"]) == (401, "unauthorised")
    assert Closure.objects.count() == 0


def test_a_wrong_token_is_unauthorised(client, token):
    response = client.get(URL, **bearer(token + "x"))

    assert (response.status_code, response.json()["error"]) == (401, "unauthorised")


def test_a_revoked_token_is_unauthorised(client, token):
    call_command("maintenance", "token", "revoke", "pipeline", stdout=StringIO())

    response = post(client, token, action="on", level="full")

    assert (response.status_code, response.json()["error"]) == (401, "unauthorised")
    assert Closure.objects.count() == 0


def test_on_progress_off_with_a_token(client, token, frozen):
    on = post(client, token, action="on", level="readonly", eta="+30m", public_reason="Upgrade", reason="internal")
    progress = post(client, token, action="progress", percent=40, note="backup done", step="backup")
    off = post(client, token, action="off")

    assert on.status_code == 200
    assert (on.json()["in_maintenance"], on.json()["level"], on.json()["closed"]) == (True, "readonly", ["checkout", "payment"])
    assert on.json()["eta"] == (NOW + timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
    assert (progress.status_code, progress.json()["progress"]) == (200, 40)
    assert progress.json()["detail"]["steps"] == [{"name": "backup", "done": True}]
    assert (off.status_code, off.json()["in_maintenance"], off.json()["closed"]) == (200, False, [])
    assert maintenance_entries() == [("maintenance.closed", "token:pipeline"), ("maintenance.progress", "token:pipeline"),
                                     ("maintenance.opened", "token:pipeline")]


def test_get_reports_the_state(client, token):
    switch_on("modules", modules=["payment"], public_reason="New provider")

    body = client.get(URL, **bearer(token)).json()

    assert (body["in_maintenance"], body["level"], body["closed"], body["public_reason"]) == (
        True, "modules", ["payment"], "New provider")


def test_it_stays_reachable_in_full_maintenance(client, token):
    switch_on("full")

    assert client.get("/api/v1/products").status_code == 503
    assert client.get(URL, **bearer(token)).status_code == 200
    off = post(client, token, action="off")
    assert (off.status_code, off.json()["in_maintenance"]) == (200, False)
    assert client.get("/api/v1/products").status_code == 200


def test_on_with_secret_returns_a_bypass_url(client, token, settings):
    body = post(client, token, action="on", level="full", secret=True).json()

    assert body["bypass_url"] == f"{settings.SITE_URL}/maintenance/bypass/{Closure.objects.get().secret_id}/"


def test_the_environment_token_works_and_is_the_actor(client, settings):
    settings.YONGXU_OPERATOR_TOKEN = "env-operator-token-0123456789"

    response = post(client, "env-operator-token-0123456789", action="on", level="full")

    assert response.status_code == 200
    assert maintenance_entries() == [("maintenance.closed", "token:environment")]


def test_refused_input_answers_json_and_changes_nothing(client, token):
    unknown = post(client, token, action="on", level="modules", modules=["teleport"])
    bad_eta = post(client, token, action="on", level="full", eta="soon")
    nothing_on = post(client, token, action="progress", percent=10)
    no_action = post(client, token, action="explode")

    assert (unknown.status_code, unknown.json()["error"]) == (400, "unknown_capability")
    assert (bad_eta.status_code, bad_eta.json()["error"]) == (400, "bad_eta")
    assert (nothing_on.status_code, nothing_on.json()["error"]) == (409, "not_in_maintenance")
    assert (no_action.status_code, no_action.json()["error"]) == (400, "unknown_action")
    assert Closure.objects.count() == 0
    assert maintenance_entries() == []
