"""Signing in records the browser's session server-side; signing out (POST only) ends it."""

import pytest
from django.contrib.sessions.models import Session

from yongxu.accounts.models import UserSession
from yongxu.accounts.tests.conftest import PASSWORD, sign_in
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_signing_in_records_the_session(client, ann):
    response = client.post("/account/login/", {"email": "Ann@Example.com", "password": PASSWORD},
                           HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302
    assert response["Location"] == "/account/orders/"
    assert client.session["_auth_user_id"] == str(ann.pk)
    row = UserSession.objects.get()
    assert (row.user, row.session_key, row.last_ip, row.user_agent) == (
        ann, client.session.session_key, "203.0.113.7", "Firefox/140")
    entry = AuditEntry.objects.filter(action="account.signed_in").get()
    assert (entry.actor, entry.data) == ("user:ann@example.com", {"ip": "203.0.113.7"})


def test_a_safe_next_address_is_followed_and_a_foreign_one_is_not(client, ann):
    local = client.post("/account/login/?next=/lookup/", {"email": "ann@example.com", "password": PASSWORD})
    client.post("/account/logout/")
    foreign = client.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD,
                                              "next": "https://evil.example/"})

    assert local["Location"] == "/lookup/"
    assert foreign["Location"] == "/account/orders/"


def test_the_header_offers_my_orders_and_sign_out_once_signed_in(client, ann):
    before = client.get("/").content.decode()
    sign_in(client)
    after = client.get("/").content.decode()

    assert 'href="/account/login/"' in before and 'href="/account/orders/"' not in before
    assert 'href="/account/orders/"' in after and 'action="/account/logout/"' in after


def test_signing_out_ends_the_session(client, ann):
    sign_in(client)
    key = client.session.session_key

    response = client.post("/account/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not Session.objects.filter(session_key=key).exists()
    assert UserSession.objects.count() == 0
    assert AuditEntry.objects.filter(action="account.signed_out").count() == 1
    assert client.get("/account/orders/")["Location"] == "/account/login/?next=/account/orders/"


def test_sign_out_refuses_get(client, ann):
    sign_in(client)

    response = client.get("/account/logout/")

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(ann.pk)
    assert UserSession.objects.count() == 1
