"""A buyer signs up, receives a verification link by e-mail and opens it: the address is verified."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from yongxu.accounts.models import BuyerProfile
from yongxu.accounts.tests.conftest import PASSWORD, links_in, path_of
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_sign_up_creates_an_unverified_account_and_mails_a_link(client, commit, mailoutbox):
    with commit():
        response = client.post("/account/signup/", {"email": "  Ann@Example.COM ", "password1": PASSWORD,
                                                    "password2": PASSWORD})

    assert response.status_code == 200
    assert "We have sent a verification link to ann@example.com" in response.content.decode()
    user = get_user_model().objects.get()
    assert (user.username, user.email, user.check_password(PASSWORD)) == ("ann@example.com", "ann@example.com", True)
    profile = BuyerProfile.objects.get(user=user)
    assert (profile.email_verified_at, profile.language) == (None, "en")
    assert list(AuditEntry.objects.values_list("action", "actor")) == [("account.signed_up", "buyer:ann@example.com")]
    [message] = mailoutbox
    assert message.to == ["ann@example.com"]
    assert message.subject == "Confirm your e-mail address for Yongxu 永续 Shop"
    [link] = links_in(message)
    assert link.startswith(f"{settings.SITE_URL}/account/verify/")
    assert link in message.alternatives[0][0]
    assert "_auth_user_id" not in client.session  # signing up does not sign in


def test_the_link_verifies_the_address(client, commit, mailoutbox):
    with commit():
        client.post("/account/signup/", {"email": "ann@example.com", "password1": PASSWORD, "password2": PASSWORD})
    [link] = links_in(mailoutbox[0])

    response = client.get(path_of(link))

    assert response.status_code == 302
    assert response["Location"] == "/account/login/"
    assert BuyerProfile.objects.get().email_verified_at is not None
    assert AuditEntry.objects.filter(action="account.email_verified").count() == 1


def test_a_second_click_changes_nothing(client, commit, mailoutbox):
    with commit():
        client.post("/account/signup/", {"email": "ann@example.com", "password1": PASSWORD, "password2": PASSWORD})
    path = path_of(links_in(mailoutbox[0])[0])
    client.get(path)
    first = BuyerProfile.objects.get().email_verified_at

    response = client.get(path)

    assert response.status_code == 302
    assert BuyerProfile.objects.get().email_verified_at == first
    assert AuditEntry.objects.filter(action="account.email_verified").count() == 1


def test_the_e_mail_is_in_the_buyers_language(client, commit, mailoutbox):
    with commit():
        client.post("/account/signup/", {"email": "li@example.com", "password1": PASSWORD, "password2": PASSWORD},
                    HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert BuyerProfile.objects.get().language == "zh-hans"
    assert mailoutbox[0].extra_headers["X-Yongxu-Template"] == "accounts/email/verify"
