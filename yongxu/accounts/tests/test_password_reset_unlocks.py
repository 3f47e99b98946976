"""A completed password reset also ends an account-wide lock: the owner has read mail sent to it."""

import pytest
import time_machine
from django.test import Client

from yongxu.accounts import services
from yongxu.accounts.models import SignInLock

pytestmark = pytest.mark.django_db


def test_a_reset_unlocks_the_account(ann, settings, commit, mailoutbox):
    settings.YONGXU_SIGNIN_ACCOUNT_FAILURES = 8
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False), commit():
        for i in range(8):
            Client(REMOTE_ADDR=f"203.0.113.{i // 4 + 1}").post("/account/login/",
                                                               {"email": "ann@example.com", "password": f"guess-{i}"})
        locked = SignInLock.objects.count()
        reset_link = services.reset_url(ann)
        uid, token = reset_link.rstrip("/").split("/")[-2:]
        services.reset_password(uid, token, password="A-new-horse-7-staple")
        after = Client(REMOTE_ADDR="198.51.100.77").post("/account/login/", {"email": "ann@example.com",
                                                                              "password": "A-new-horse-7-staple"})

    assert locked == 1
    assert SignInLock.objects.count() == 0
    assert after.status_code == 302
