"""The admin control room: the state per capability, presets behind a confirmation, progress, and a
preview of what buyers see. Looking needs staff; switching needs maintenance.operate."""

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.maintenance.models import Closure
from yongxu.maintenance.tests.conftest import INTERNAL_REASON, switch_on

pytestmark = pytest.mark.django_db

URL = "/admin/maintenance/"


def test_an_operator_switches_a_preset_on_after_confirming(client, operator):
    client.force_login(operator)

    unconfirmed = client.post(URL, {"action": "preset", "preset": "payments", "public_reason": "New provider"})
    assert (unconfirmed.status_code, Closure.objects.count()) == (302, 0)

    client.post(URL, {"action": "preset", "preset": "payments", "confirm": "yes", "public_reason": "New provider",
                      "reason": INTERNAL_REASON, "eta": "+45m"})

    closure = Closure.objects.get()
    assert (closure.level, closure.capabilities, closure.public_reason) == ("modules", ["payment"], "New provider")
    assert AuditEntry.objects.filter(action="maintenance.closed").values_list("actor", flat=True).get() == "user:operator"
    page = client.get(URL).content.decode()
    assert "In maintenance: modules" in page
    assert "New provider" in page


def test_progress_and_off_from_the_control_room(client, operator):
    client.force_login(operator)
    switch_on("full", public_reason="Upgrade")

    client.post(URL, {"action": "progress", "percent": "70", "step": "migrate", "note": "Almost there"})
    assert client.get("/status.json").json()["progress"] == 70

    client.post(URL, {"action": "off"})

    assert client.get("/").status_code == 200
    assert list(AuditEntry.objects.filter(action__startswith="maintenance.").values_list("action", flat=True)) == [
        "maintenance.closed", "maintenance.progress", "maintenance.opened"]


def test_the_preview_shows_the_buyers_page_without_the_internal_reason(client, operator):
    client.force_login(operator)
    switch_on("full", reason=INTERNAL_REASON, public_reason="Upgrading the database")

    page = client.get(URL).content.decode()

    assert "Upgrading the database" in page
    assert "Preview of the maintenance page" in page
    assert INTERNAL_REASON not in page


def test_staff_without_operate_may_look_but_not_switch(client, clerk):
    client.force_login(clerk)

    looking = client.get(URL)
    switching = client.post(URL, {"action": "preset", "preset": "full", "confirm": "yes"})

    assert looking.status_code == 200
    assert "switching needs the" in looking.content.decode()
    assert switching.status_code == 403
    assert Closure.objects.count() == 0


def test_buyers_are_sent_to_the_login(client, outsider):
    client.force_login(outsider)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
