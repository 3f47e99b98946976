"""After 5 failures from one client on one account within 15 minutes, that client is refused on that
account — even with the right password — for a cool-down of 15 minutes, with a message saying how
long and Retry-After; then it signs in again. Other clients are not affected."""

import pytest
import time_machine
from django.test import Client

from yongxu.accounts.models import UserSession
from yongxu.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CLIENT = "198.51.100.1"


def _fail(email="ann@example.com", ip=CLIENT):
    return Client(REMOTE_ADDR=ip).post("/account/login/", {"email": email, "password": "wrong-password"})


def test_five_failures_lock_that_client_out_of_that_account(ann):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        answers = [_fail().status_code for _ in range(4)]
        fifth = _fail()
        clock.shift(60)
        right_password = Client(REMOTE_ADDR=CLIENT).post("/account/login/", {"email": "ANN@example.com",
                                                                              "password": PASSWORD})

    assert answers == [400, 400, 400, 400]
    assert fifth.status_code == 429
    assert fifth["Retry-After"] == "900"
    assert "Too many attempts; try again in 15 minutes." in fifth.content.decode()
    assert right_password.status_code == 429
    assert right_password["Retry-After"] == "840"
    assert "Too many attempts; try again in 14 minutes." in right_password.content.decode()
    assert UserSession.objects.count() == 0


def test_the_cool_down_ends(ann):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        for _ in range(5):
            _fail()
        clock.shift(14 * 60 + 30)
        almost = Client(REMOTE_ADDR=CLIENT).post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})
        clock.shift(31)
        after = Client(REMOTE_ADDR=CLIENT).post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})

    assert almost.status_code == 429
    assert "Too many attempts; try again in 1 minute." in almost.content.decode()
    assert after.status_code == 302
    assert UserSession.objects.count() == 1


def test_an_unknown_address_locks_the_same_way(db):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        answers = [_fail("nobody@example.com").status_code for _ in range(6)]

    assert answers == [400, 400, 400, 400, 429, 429]


def test_failures_spread_over_more_than_the_window_do_not_lock(ann):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        for _ in range(4):
            _fail()
        clock.shift(15 * 60 + 1)
        answers = [_fail().status_code for _ in range(4)]

    assert answers == [400, 400, 400, 400]


def test_a_success_forgets_the_clients_failures_on_the_account(ann):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        for _ in range(4):
            _fail()
        Client(REMOTE_ADDR=CLIENT).post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})
        answers = [_fail().status_code for _ in range(4)]

    assert answers == [400, 400, 400, 400]
