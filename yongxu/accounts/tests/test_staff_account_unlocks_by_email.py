"""Staff accounts lock account-wide like buyers': the unlock link goes to the staff member's address
and leads back to the admin's sign-in."""

import pytest
import time_machine
from django.test import Client

from yongxu.accounts.tests.conftest import links_in, path_of

pytestmark = pytest.mark.django_db


def test_the_link_unlocks_the_staff_account(merchant, settings, commit, mailoutbox):
    settings.YONGXU_SIGNIN_ACCOUNT_FAILURES = 8
    staff = Client(REMOTE_ADDR="198.51.100.20")
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        with commit():
            answers = [Client(REMOTE_ADDR=f"203.0.113.{i // 4 + 1}").post(
                "/admin/login/", {"username": "merchant", "password": f"guess-{i}"}).status_code for i in range(8)]
        locked = staff.post("/admin/login/", {"username": "merchant", "password": "pw-merchant"})
        [link] = links_in(mailoutbox[0])
        unlocked = staff.post(path_of(link))
        signed_in = staff.post("/admin/login/?next=/admin/", {"username": "merchant", "password": "pw-merchant"})

    assert answers == [200] * 7 + [403]
    assert locked.status_code == 403
    assert mailoutbox[0].to == ["merchant@example.com"]
    assert unlocked["Location"] == "/admin/login/"
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/admin/"
