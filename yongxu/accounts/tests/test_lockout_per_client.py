"""One client trying many accounts is stopped after 20 failures in 15 minutes, whichever accounts;
a success on the attacker's own account does not buy more guesses at the others."""

import pytest
import time_machine
from django.test import Client

from yongxu.accounts.models import UserSession
from yongxu.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "192.0.2.66"


def test_twenty_failures_from_one_client_lock_that_client(ann):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        answers = [attacker.post("/account/login/", {"email": f"user{i}@example.com", "password": "guess"}).status_code
                   for i in range(20)]
        clock.shift(5 * 60)
        blocked = attacker.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})
        elsewhere = Client(REMOTE_ADDR="192.0.2.1").post("/account/login/",
                                                         {"email": "ann@example.com", "password": PASSWORD})

    assert answers == [400] * 19 + [429]
    assert blocked.status_code == 429
    assert "Too many attempts; try again in 10 minutes." in blocked.content.decode()
    assert elsewhere.status_code == 302
    assert UserSession.objects.count() == 1


def test_a_success_does_not_reset_the_clients_counter(make_buyer):
    make_buyer("mallory@example.com")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        for i in range(19):
            attacker.post("/account/login/", {"email": f"user{i}@example.com", "password": "guess"})
        own = attacker.post("/account/login/", {"email": "mallory@example.com", "password": PASSWORD})
        attacker.post("/account/logout/")
        next_guess = attacker.post("/account/login/", {"email": "victim@example.com", "password": "guess"})

    assert own.status_code == 302
    assert next_guess.status_code == 429
    assert "Too many attempts; try again in 15 minutes." in next_guess.content.decode()


def test_the_client_cool_down_ends(ann):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        for i in range(20):
            attacker.post("/account/login/", {"email": f"user{i}@example.com", "password": "guess"})
        clock.shift(15 * 60 + 1)
        after = attacker.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})

    assert after.status_code == 302


def test_the_limits_come_from_settings(ann, settings):
    settings.YONGXU_SIGNIN_CLIENT_FAILURES = 3
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        answers = [attacker.post("/account/login/", {"email": f"user{i}@example.com", "password": "guess"}).status_code
                   for i in range(4)]

    assert answers == [400, 400, 429, 429]
