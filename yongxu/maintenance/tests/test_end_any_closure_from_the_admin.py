"""Staff with maintenance.operate end any closure from the back office: an action on the closures'
list, a button on a closure's page, and one beside each closure in the control room; each is
audit-logged with the staff member. Staff without the permission see no button and can end nothing."""

from datetime import timedelta

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.maintenance import services, windows
from yongxu.maintenance.models import Closure
from yongxu.maintenance.tests.conftest import NOW, OPERATOR

pytestmark = pytest.mark.django_db


def protections(n: int = 2) -> list[Closure]:
    return [services.close_capabilities(["support"], source=f"protection:helpdesk-{i}", reason="x", until=None,
                                        actor=OPERATOR) for i in range(n)]


def opened_by() -> list[str]:
    return list(AuditEntry.objects.filter(action="maintenance.opened").values_list("actor", flat=True))


def test_the_list_action_ends_the_selected_closures(client, operator, frozen):
    first, second, kept = protections(3)
    client.force_login(operator)

    response = client.post("/admin/maintenance/closure/", {"action": "end_selected",
                                                           "_selected_action": [first.pk, second.pk]})

    assert response.status_code == 302
    assert list(Closure.objects.filter(ended_at__isnull=True).values_list("pk", flat=True)) == [kept.pk]
    assert opened_by() == ["user:operator", "user:operator"]


def test_the_button_on_a_closures_page_ends_it(client, operator, frozen):
    [closure] = protections(1)
    client.force_login(operator)
    page = client.get(f"/admin/maintenance/closure/{closure.pk}/change/").content.decode()
    assert f'action="/admin/maintenance/closure/{closure.pk}/end/"' in page

    client.post(f"/admin/maintenance/closure/{closure.pk}/end/", {"note": "helpdesk is back"})

    closure.refresh_from_db()
    assert closure.ended_at == NOW
    assert f'action="/admin/maintenance/closure/{closure.pk}/end/"' not in client.get(
        f"/admin/maintenance/closure/{closure.pk}/change/").content.decode()
    assert AuditEntry.objects.get(action="maintenance.opened").data["note"] == "helpdesk is back"


def test_a_windows_closure_page_links_to_its_window(client, operator, frozen):
    window = windows.schedule_window(title="Upgrade", start=NOW + timedelta(hours=1), end=NOW + timedelta(hours=2),
                                     level="full", actor=OPERATOR)
    client.force_login(operator)

    page = client.get(f"/admin/maintenance/closure/{window.closure_id}/change/").content.decode()

    assert f'href="/admin/maintenance/maintenancewindow/{window.pk}/change/"' in page


def test_the_control_room_lists_every_closure_with_an_end_button(client, operator, frozen):
    [protection] = protections(1)
    window = windows.schedule_window(title="Upgrade", start=NOW + timedelta(hours=1), end=NOW + timedelta(hours=2),
                                     level="full", actor=OPERATOR)
    client.force_login(operator)

    page = client.get("/admin/maintenance/").content.decode()
    assert f'id="closure-{protection.pk}"' in page and "Automatic protection" in page
    assert f'id="closure-{window.closure_id}"' in page and "Planned window" in page

    client.post("/admin/maintenance/", {"action": "end", "closure": str(window.closure_id)})

    window.refresh_from_db()
    assert window.phase == "cancelled"
    assert f'id="closure-{window.closure_id}"' not in client.get("/admin/maintenance/").content.decode()


def test_staff_without_operate_end_nothing(client, clerk, frozen):
    [closure] = protections(1)
    client.force_login(clerk)

    button = client.post(f"/admin/maintenance/closure/{closure.pk}/end/")
    room = client.post("/admin/maintenance/", {"action": "end", "closure": str(closure.pk)})

    assert (button.status_code, room.status_code) == (403, 403)
    assert Closure.objects.get().ended_at is None and opened_by() == []
