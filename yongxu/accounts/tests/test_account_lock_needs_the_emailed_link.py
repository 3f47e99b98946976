"""Past the much higher account-wide threshold (failures from every client together), the account is
locked until its owner follows the link e-mailed to it; the link works once. An address without an
account gets the same words and no e-mail."""

import pytest
import time_machine
from django.test import Client

from yongxu.accounts.models import SignInLock, UserSession
from yongxu.accounts.tests.conftest import PASSWORD, links_in, path_of
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins to this account, so it is locked."


def _spread_failures(email: str, count: int) -> list[int]:
    """``count`` failures from clients that each stay under their own limit of 5."""
    return [Client(REMOTE_ADDR=f"203.0.113.{i // 4 + 1}").post(
        "/account/login/", {"email": email, "password": f"guess-{i}"}).status_code for i in range(count)]


@pytest.fixture
def threshold(settings):
    settings.YONGXU_SIGNIN_ACCOUNT_FAILURES = 12


def test_the_threshold_locks_the_account_and_mails_the_owner(ann, threshold, commit, mailoutbox):
    owner = Client(REMOTE_ADDR="198.51.100.77")
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False), commit():
        answers = _spread_failures("ann@example.com", 12)
        refused = owner.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})

    assert answers == [400] * 11 + [403]
    assert refused.status_code == 403
    assert LOCKED in refused.content.decode()
    assert UserSession.objects.count() == 0
    assert [m.to for m in mailoutbox] == [["ann@example.com"]]
    assert mailoutbox[0].subject == "Unlock your account at Yongxu 永续 Shop"
    assert SignInLock.objects.count() == 1
    assert AuditEntry.objects.filter(action="account.signin_locked").count() == 1


def test_the_link_unlocks_once(ann, threshold, commit, mailoutbox):
    owner = Client(REMOTE_ADDR="198.51.100.77")
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        with commit():
            _spread_failures("ann@example.com", 12)
        [link] = links_in(mailoutbox[0])
        clock.shift(3600)
        page = owner.get(path_of(link))
        unlocked = owner.post(path_of(link))
        again = Client().post(path_of(link))
        signed_in = owner.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})

    assert page.status_code == 200
    assert SignInLock.objects.count() == 0
    assert unlocked.status_code == 302
    assert unlocked["Location"] == "/account/login/"
    assert again.status_code == 400
    assert signed_in.status_code == 302
    assert UserSession.objects.filter(user=ann).count() == 1
    assert AuditEntry.objects.filter(action="account.signin_unlocked").count() == 1


def test_an_unknown_address_gets_the_same_words_and_no_mail(db, threshold, commit, mailoutbox):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False), commit():
        answers = _spread_failures("nobody@example.com", 12)
        again = Client(REMOTE_ADDR="198.51.100.78").post("/account/login/",
                                                         {"email": "nobody@example.com", "password": "x"})

    assert answers == [400] * 11 + [403]
    assert again.status_code == 403
    assert LOCKED in again.content.decode()
    assert mailoutbox == []


def test_trying_a_locked_account_mails_a_fresh_link_at_most_hourly(ann, threshold, commit, mailoutbox):
    owner = Client(REMOTE_ADDR="198.51.100.77")
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:
        with commit():
            _spread_failures("ann@example.com", 12)
            for _ in range(5):
                owner.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})
        within_the_hour = len(mailoutbox)
        clock.shift(3600)
        with commit():
            owner.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})

    assert within_the_hour == 1
    assert len(mailoutbox) == 2
