"""With the database down during full maintenance, a visitor carrying a session cookie still gets the
maintenance page (not a 500): the bypass check's failure means "may not pass"."""

import pytest
from django.db.utils import OperationalError

from yongxu.maintenance import bypass
from yongxu.maintenance.tests.conftest import switch_on

pytestmark = pytest.mark.django_db


def test_a_failing_bypass_check_serves_the_page(client, monkeypatch):
    switch_on("full", public_reason="Database maintenance")
    client.get("/")

    def database_gone(request):
        raise OperationalError("connection refused")

    monkeypatch.setattr(bypass, "staff_may_pass", database_gone)
    response = client.get("/")

    assert response.status_code == 503
    assert "Database maintenance" in response.content.decode()


def test_planned_503s_are_not_logged_as_server_errors(client, caplog):
    switch_on("full")

    with caplog.at_level("ERROR", logger="django.request"):
        client.get("/")

    assert [record for record in caplog.records if record.name == "django.request"] == []
