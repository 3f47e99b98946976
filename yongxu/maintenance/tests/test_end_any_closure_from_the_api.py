"""POST /api/v1/maintenance/closures/<id>/end with an operator token ends one closure of any source,
even in full maintenance, audit-logged with the token; unknown → 404, over → 409, no token → 401,
each as JSON, and nothing changes."""

from io import StringIO

import pytest
from django.core.management import call_command

from yongxu.audit.models import AuditEntry
from yongxu.maintenance import services
from yongxu.maintenance.models import Closure
from yongxu.maintenance.tests.conftest import NOW, OPERATOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def token() -> str:
    out = StringIO()
    call_command("maintenance", "token", "create", "pipeline", stdout=out)
    return out.getvalue().strip()


def end(client, closure_id: int, token: str | None, **payload):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1/maintenance/closures/{closure_id}/end", payload, content_type="application/json",
                       **headers)


def test_full_maintenance_is_ended_through_the_api(client, frozen, token):
    closure = services.turn_on("full", actor=OPERATOR)

    response = end(client, closure.pk, token, note="done early")

    assert response.status_code == 200
    assert (response.json()["in_maintenance"], response.json()["closed"]) == (False, [])
    assert Closure.objects.get().ended_at == NOW
    assert list(AuditEntry.objects.filter(action="maintenance.opened").values_list("actor", "data")) == [
        ("token:pipeline", {"source": "manual", "closures": [closure.pk], "note": "done early"})]


def test_an_empty_body_will_do(client, frozen, token):
    closure = services.close_capabilities(["support"], source="breaker:helpdesk", reason="x", until=None, actor=OPERATOR)

    response = client.generic("POST", f"/api/v1/maintenance/closures/{closure.pk}/end", b"",
                              HTTP_AUTHORIZATION=f"Bearer {token}")  # what `curl -X POST` sends

    assert response.status_code == 200 and response.json()["closed"] == []


@pytest.mark.parametrize(("case", "status", "error"), [("unknown", 404, "closure_not_found"), ("over", 409, "closure_over"),
                                                       ("no token", 401, "unauthorised")])
def test_refusals_are_json_and_change_nothing(client, frozen, token, case, status, error):
    closure = services.turn_on("readonly", actor=OPERATOR)
    if case == "over":
        services.end_closure(closure.pk, actor=OPERATOR)
    entries = AuditEntry.objects.count()

    response = end(client, closure.pk + 1 if case == "unknown" else closure.pk, None if case == "no token" else token)

    assert (response.status_code, response.json()["error"]) == (status, error)
    assert AuditEntry.objects.count() == entries
    assert Closure.objects.filter(ended_at__isnull=True).count() == (0 if case == "over" else 1)
