""""Need something before the window?": linked from the banner and the notice, stored per window,
shown on the window's admin page."""

from datetime import timedelta

import pytest

from yongxu.notices.models import Feedback
from yongxu.notices.tests.conftest import schedule

pytestmark = pytest.mark.django_db


def test_a_request_is_stored_and_shown_to_operators(client, frozen, operator):
    window = schedule(starts_in=timedelta(hours=10))
    assert f'href="/status/feedback/{window.pk}/"' in client.get("/").content.decode()  # the banner links it

    response = client.post(f"/status/feedback/{window.pk}/", {"email": "ann@example.com",
                                                             "message": "I need 20 keys before 22:00"})

    assert response.status_code == 200
    assert Feedback.objects.get().message == "I need 20 keys before 22:00"
    client.force_login(operator)
    page = client.get(f"/admin/maintenance/maintenancewindow/{window.pk}/change/").content.decode()
    assert "I need 20 keys before 22:00" in page


def test_an_empty_request_is_refused(client, frozen):
    window = schedule(starts_in=timedelta(hours=10))

    response = client.post(f"/status/feedback/{window.pk}/", {"email": "ann@example.com", "message": " "})

    assert response.status_code == 400
    assert Feedback.objects.count() == 0
