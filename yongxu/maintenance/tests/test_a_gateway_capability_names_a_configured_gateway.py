"""`payment:<gateway>` is a capability only for a gateway the shop has configured: `--modules
payment:bogus` exits 2 like any unknown capability and closes nothing; `payment:epay` closes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yongxu.audit.models import AuditEntry
from yongxu.maintenance.models import Closure

pytestmark = pytest.mark.django_db


def maintenance(*args) -> str:
    out = StringIO()
    call_command("maintenance", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("modules", ["payment:bogus", "payment:", "payment:epay,bogus"])
def test_an_unconfigured_gateway_exits_2_and_closes_nothing(modules):
    with pytest.raises(CommandError) as refused:
        maintenance("on", "--level", "modules", "--modules", modules)

    assert refused.value.returncode == 2
    assert str(refused.value).startswith("unknown_capability: Unknown capabilities: ")
    assert (Closure.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_configured_gateway_closes(client):
    output = maintenance("on", "--level", "modules", "--modules", "payment:epay")

    assert "closed: payment:epay" in output
    assert Closure.objects.get().capabilities == ["payment:epay"]


def test_the_api_refuses_it_too(client, settings):
    settings.YONGXU_OPERATOR_TOKEN = "t" * 32

    response = client.post("/api/v1/maintenance", {"action": "on", "level": "modules", "modules": ["payment:bogus"]},
                           content_type="application/json", HTTP_AUTHORIZATION="Bearer " + "t" * 32)

    assert (response.status_code, response.json()["error"]) == (400, "unknown_capability")
    assert Closure.objects.count() == 0
