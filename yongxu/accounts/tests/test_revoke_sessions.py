"""Sessions are server-side: a buyer (or an operator) ends them, and the other browsers are signed out."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from yongxu.accounts import services
from yongxu.accounts.models import UserSession
from yongxu.accounts.tests.conftest import sign_in
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    return client.get("/account/orders/").status_code == 200


def test_revoke_sessions_signs_out_another_browser(ann):
    laptop, phone = Client(), Client()
    sign_in(laptop)
    sign_in(phone)

    ended = services.revoke_sessions(ann, actor=ann, keep_session_key=laptop.session.session_key)

    assert ended == 1
    assert (_signed_in(laptop), _signed_in(phone)) == (True, False)
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [laptop.session.session_key]
    entry = AuditEntry.objects.get(action="account.sessions_revoked")
    assert (entry.actor, entry.data) == ("user:ann@example.com", {"count": 1, "kept_current": True})


def test_revoke_sessions_leaves_other_buyers_alone(ann, make_buyer):
    make_buyer("bob@example.com")
    mine, bobs = Client(), Client()
    sign_in(mine)
    sign_in(bobs, "bob@example.com")

    services.revoke_sessions(ann, actor="system:test")

    assert (_signed_in(mine), _signed_in(bobs)) == (False, True)


def test_the_account_page_buttons(ann):
    laptop, phone = Client(), Client()
    sign_in(laptop)
    sign_in(phone)

    others = laptop.post("/account/sessions/revoke/", {"scope": "others"})
    still = _signed_in(laptop)
    everywhere = laptop.post("/account/sessions/revoke/", {"scope": "all"})

    assert (others.status_code, others["Location"]) == (302, "/account/orders/")
    assert still is True
    assert _signed_in(phone) is False
    assert (everywhere.status_code, everywhere["Location"]) == (302, "/account/login/")
    assert _signed_in(laptop) is False
    assert UserSession.objects.count() == 0


def test_revoke_all_sessions_signs_out_everyone(ann, make_buyer):
    make_buyer("bob@example.com")
    browsers = [Client(), Client(), Client()]
    sign_in(browsers[0])
    sign_in(browsers[1])
    sign_in(browsers[2], "bob@example.com")
    guest = Client()
    guest.get("/lookup/")
    session_rows = Session.objects.count()

    ended = services.revoke_all_sessions(actor="system:security-maintenance")

    assert ended == session_rows
    assert [_signed_in(c) for c in browsers] == [False, False, False]
    assert (Session.objects.count(), UserSession.objects.count()) == (0, 0)
    entry = AuditEntry.objects.get(action="account.all_sessions_revoked")
    assert (entry.actor, entry.data) == ("system:security-maintenance", {"count": session_rows})


def test_revoking_needs_a_post_and_a_signed_in_buyer(ann):
    phone = Client()
    sign_in(phone)

    get = Client().get("/account/sessions/revoke/")
    anonymous = Client().post("/account/sessions/revoke/", {"scope": "all"})

    assert get.status_code == 405
    assert anonymous["Location"].startswith("/account/login/")
    assert _signed_in(phone) is True
    assert not AuditEntry.objects.filter(action="account.sessions_revoked").exists()
