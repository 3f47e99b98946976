"""Oversized input is refused with a clear message before anything is hashed, stored or sent."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model

from yongxu.accounts.models import UserSession
from yongxu.accounts.tests.conftest import PASSWORD, path_of
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".com"  # 251 characters: valid, but over 150
HUGE_EMAIL = "a" * 250 + "@example.com"
HUGE_PASSWORD = "x" * 4097


def test_sign_up_refuses_an_address_longer_than_254(client, commit, mailoutbox):
    with commit():
        response = client.post("/account/signup/", {"email": HUGE_EMAIL, "password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 400
    assert "Ensure this value has at most 254 characters (it has 262)." in response.content.decode()
    assert (get_user_model().objects.count(), len(mailoutbox)) == (0, 0)


def test_sign_up_refuses_an_address_too_long_for_an_account(client, commit, mailoutbox):
    assert len(LONG_EMAIL) == 251

    with commit():
        response = client.post("/account/signup/", {"email": LONG_EMAIL, "password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 400
    assert "Use an e-mail address of at most 150 characters." in response.content.decode()
    assert (get_user_model().objects.count(), AuditEntry.objects.count(), len(mailoutbox)) == (0, 0, 0)


def test_sign_up_refuses_a_password_longer_than_4096(client, commit, mailoutbox):
    with commit():
        response = client.post("/account/signup/", {"email": "ann@example.com", "password1": HUGE_PASSWORD,
                                                    "password2": HUGE_PASSWORD})

    assert response.status_code == 400
    assert "Ensure this value has at most 4096 characters (it has 4097)." in response.content.decode()
    assert (get_user_model().objects.count(), len(mailoutbox)) == (0, 0)


def test_sign_in_refuses_a_huge_password_without_hashing_it_or_counting_it(client, ann):
    with mock.patch("yongxu.accounts.services.authenticate") as authenticate:
        responses = [client.post("/account/login/", {"email": "ann@example.com", "password": HUGE_PASSWORD})
                     for _ in range(6)]

    assert [r.status_code for r in responses] == [400] * 6
    assert "Ensure this value has at most 4096 characters (it has 4097)." in responses[0].content.decode()
    authenticate.assert_not_called()
    assert UserSession.objects.count() == 0
    assert client.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD}).status_code == 302


def test_sign_in_and_reset_refuse_a_huge_address(client, ann, commit, mailoutbox):
    with commit():
        sign_in = client.post("/account/login/", {"email": HUGE_EMAIL, "password": PASSWORD})
        reset = client.post("/account/password-reset/", {"email": HUGE_EMAIL})

    assert (sign_in.status_code, reset.status_code) == (400, 400)
    assert mailoutbox == []


def test_the_reset_form_refuses_a_huge_password(client, ann):
    from yongxu.accounts import services

    response = client.post(path_of(services.reset_url(ann)), {"password1": HUGE_PASSWORD, "password2": HUGE_PASSWORD})

    assert response.status_code == 400
    assert get_user_model().objects.get().check_password(PASSWORD)
