"""Django's password validators apply; the two passwords must match. A refused sign-up leaves nothing."""

import pytest
from django.contrib.auth import get_user_model

from yongxu.accounts.models import BuyerProfile
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _nothing_created(mailoutbox):
    assert get_user_model().objects.count() == 0
    assert BuyerProfile.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(("password", "why"), [
    ("short1", "This password is too short. It must contain at least 8 characters."),
    ("password123", "This password is too common."),
])
def test_a_weak_password_is_refused(client, commit, mailoutbox, password, why):
    with commit():
        response = client.post("/account/signup/", {"email": "ann@example.com", "password1": password,
                                                    "password2": password})

    assert response.status_code == 400
    assert why in response.content.decode()
    assert 'id="id_password1-error"' in response.content.decode()
    _nothing_created(mailoutbox)


def test_two_different_passwords_are_refused(client, commit, mailoutbox):
    with commit():
        response = client.post("/account/signup/", {"email": "ann@example.com", "password1": "Correct-horse-9-battery",
                                                    "password2": "Correct-horse-9-batterx"})

    assert response.status_code == 400
    assert "The two passwords are not the same." in response.content.decode()
    _nothing_created(mailoutbox)


@pytest.mark.parametrize("form", [{}, {"email": "", "password1": "", "password2": ""},
                                  {"email": "not-an-address", "password1": "Correct-horse-9-battery",
                                   "password2": "Correct-horse-9-battery"}])
def test_missing_or_malformed_fields_are_refused(client, commit, mailoutbox, form):
    with commit():
        response = client.post("/account/signup/", form)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    _nothing_created(mailoutbox)
