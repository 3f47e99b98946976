from datetime import timedelta

import pytest

from yongxu.maintenance import windows
from yongxu.maintenance.models import Phase
from yongxu.maintenance.tests.conftest import NOW, OPERATOR

pytestmark = pytest.mark.django_db


def test_an_operator_drives_a_window_from_its_admin_page(frozen, client, operator):
    window = windows.schedule_window(title="Upgrade", start=NOW + timedelta(hours=1), end=NOW + timedelta(hours=2),
                                     level="full", actor=OPERATOR)
    client.force_login(operator)

    page = client.get(f"/admin/maintenance/maintenancewindow/{window.pk}/change/")
    client.post(f"/admin/maintenance/maintenancewindow/{window.pk}/act/start/", {"note": "starting early"})
    client.post(f"/admin/maintenance/maintenancewindow/{window.pk}/act/update/", {"eta": "+90m", "note": "slower"})

    window.refresh_from_db()
    assert page.status_code == 200
    assert "Drive this window" in page.content.decode()
    assert window.phase == Phase.EXECUTE
    assert window.eta == NOW + timedelta(minutes=90)


def test_staff_without_operate_cannot_drive_it(frozen, client, clerk):
    window = windows.schedule_window(title="Upgrade", start=NOW + timedelta(hours=1), end=NOW + timedelta(hours=2),
                                     level="full", actor=OPERATOR)
    client.force_login(clerk)

    response = client.post(f"/admin/maintenance/maintenancewindow/{window.pk}/act/start/")

    window.refresh_from_db()
    assert response.status_code in (302, 403)
    assert window.phase == Phase.PREPARE
