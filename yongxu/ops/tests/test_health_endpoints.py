"""/healthz says the process is alive; /readyz checks what the shop depends on."""

import pytest

from yongxu.ops.services import beat

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_ok_with_each_check(client):
    beat()

    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["failing"]) == ("ok", [])
    assert set(body["checks"]) == {"database", "cache", "worker", "outbox"}
    assert all(check["ok"] for check in body["checks"].values())
