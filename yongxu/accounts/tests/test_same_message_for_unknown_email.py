"""A wrong password and an unknown address get the very same answer: nobody learns who has an account."""

import re

import pytest

from yongxu.accounts.models import UserSession
from yongxu.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

def _page(response, email: str) -> str:
    """The page without what legitimately differs: the typed address and the masked CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode().replace(email, ""))


MESSAGE = "The e-mail address or the password is wrong."


def test_wrong_password_and_unknown_address_answer_alike(client, ann):
    wrong_password = client.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD + "x"})
    unknown = client.post("/account/login/", {"email": "nobody@example.com", "password": PASSWORD})

    assert (wrong_password.status_code, unknown.status_code) == (400, 400)
    assert MESSAGE in wrong_password.content.decode()
    assert MESSAGE in unknown.content.decode()
    assert _page(wrong_password, "ann@example.com") == _page(unknown, "nobody@example.com")
    assert "_auth_user_id" not in client.session
    assert UserSession.objects.count() == 0


def test_an_inactive_account_cannot_sign_in(client, ann):
    ann.is_active = False
    ann.save()

    response = client.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD})

    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert UserSession.objects.count() == 0
