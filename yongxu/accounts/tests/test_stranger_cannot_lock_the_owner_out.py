"""Strangers failing on someone's account lock only themselves out: the owner, signing in from her own
client, gets in — however many strangers have tried, short of the account-wide threshold."""

import pytest
import time_machine
from django.test import Client

from yongxu.accounts.models import SignInLock, UserSession
from yongxu.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_owner_signs_in_while_strangers_are_locked_out(ann, mailoutbox):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        strangers = [[Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            "/account/login/", {"email": "ann@example.com", "password": f"guess-{i}"}).status_code for i in range(6)]
            for n in range(1, 16)]  # 15 clients × 6 tries = 90 failures, below the account's 100
        owner = Client(REMOTE_ADDR="198.51.100.77").post("/account/login/",
                                                         {"email": "ann@example.com", "password": PASSWORD})

    assert strangers == [[400, 400, 400, 400, 429, 429]] * 15
    assert owner.status_code == 302
    assert UserSession.objects.filter(user=ann).count() == 1
    assert SignInLock.objects.count() == 0
    assert mailoutbox == []
