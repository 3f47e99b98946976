"""The admin's sign-in (/admin/login/) locks out like the buyers': 30 wrong passwords from one client
have only 5 evaluated, the rest are refused with 429 and Retry-After; the staff member signs in from
her own client meanwhile."""

import pytest
import time_machine
from django.contrib.auth.signals import user_login_failed
from django.test import Client

pytestmark = pytest.mark.django_db

ATTACKER = "192.0.2.66"


@pytest.fixture
def evaluated():
    """Every password Django's authentication really checked and found wrong."""
    failures = []

    def count(sender, credentials, **kwargs):
        failures.append(credentials["username"])

    user_login_failed.connect(count)
    yield failures
    user_login_failed.disconnect(count)


def test_thirty_wrong_passwords_have_five_evaluated(merchant, evaluated):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        answers = []
        for i in range(30):
            answers.append(attacker.post("/admin/login/", {"username": "merchant", "password": f"guess-{i}"}))
            clock.shift(0.4)
        right_password = attacker.post("/admin/login/", {"username": "merchant", "password": "pw-merchant"})
        owner = Client(REMOTE_ADDR="198.51.100.20").post("/admin/login/?next=/admin/",
                                                         {"username": "merchant", "password": "pw-merchant"})

    assert [a.status_code for a in answers] == [200] * 4 + [429] * 26
    assert evaluated == ["merchant"] * 5
    assert answers[4]["Retry-After"] == "900"
    assert "Too many attempts; try again in 15 minutes." in answers[4].content.decode()
    assert right_password.status_code == 429
    assert owner.status_code == 302
    assert owner["Location"] == "/admin/"


def test_a_wrong_password_keeps_djangos_own_words(merchant):
    answer = Client(REMOTE_ADDR=ATTACKER).post("/admin/login/", {"username": "merchant", "password": "nope"})

    assert answer.status_code == 200
    assert "Please enter the correct username and password for a staff account." in answer.content.decode()
