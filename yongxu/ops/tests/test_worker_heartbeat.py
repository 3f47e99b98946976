"""With a real queue, readiness fails, naming the worker, when its heartbeat is missing or stale."""

from datetime import timedelta

import pytest

from yongxu.ops.services import beat, check_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queued_tasks(settings, time_machine):
    settings.HUEY = {**settings.HUEY, "immediate": False}
    settings.YONGXU_WORKER_STALE_SECONDS = 180
    time_machine.move_to("2026-03-10 12:00:00+00:00", tick=False)


def test_without_a_heartbeat_the_worker_is_not_ready():
    check = check_worker()

    assert (check.name, check.ok) == ("worker", False)
    assert check.detail == "no heartbeat yet: is the worker running?"


def test_a_fresh_heartbeat_is_ready():
    beat()

    assert check_worker().ok is True


def test_a_heartbeat_older_than_the_limit_is_not_ready(time_machine):
    beat()
    time_machine.shift(timedelta(seconds=181))

    check = check_worker()

    assert (check.ok, check.detail) == (False, "last heartbeat 181 s ago")


def test_a_heartbeat_at_the_limit_is_still_ready(time_machine):
    beat()
    time_machine.shift(timedelta(seconds=180))

    assert check_worker().ok is True


def test_readyz_answers_503_naming_the_worker(client, time_machine):
    beat()
    time_machine.shift(timedelta(minutes=10))

    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 503
    assert (body["status"], body["failing"]) == ("unavailable", ["worker"])
    assert body["checks"]["database"]["ok"] is True


def test_in_process_tasks_need_no_worker(settings):
    settings.HUEY = {**settings.HUEY, "immediate": True}

    assert check_worker().ok is True
    assert check_worker().detail == "tasks run in-process"
