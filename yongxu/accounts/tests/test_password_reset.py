"""A buyer who forgot the password gets a one-time link by e-mail and chooses a new password; every
session of the account ends. The request page never tells whether the address has an account."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from yongxu.accounts import services
from yongxu.accounts.models import BuyerProfile, UserSession
from yongxu.accounts.tests.conftest import PASSWORD, links_in, path_of, sign_in
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

SAME_PAGE = "If an account exists for"
NEW = "Brand-new-secret-42"


def _reset_link(client, commit, mailoutbox, email="ann@example.com") -> str:
    with commit():
        client.post("/account/password-reset/", {"email": email})
    [message] = mailoutbox
    [link] = links_in(message)
    return link


def test_the_reset_e_mail_carries_the_link(client, ann, commit, mailoutbox, settings):
    with commit():
        response = client.post("/account/password-reset/", {"email": "ANN@example.com"})

    assert response.status_code == 200
    assert f"{SAME_PAGE} ANN@example.com, we have sent it a link" in response.content.decode()
    [message] = mailoutbox
    assert message.to == ["ann@example.com"]
    assert message.subject == "Reset your password for Yongxu 永续 Shop"
    [link] = links_in(message)
    assert link.startswith(f"{settings.SITE_URL}/account/password-reset/")
    assert link in message.alternatives[0][0]


def test_the_link_sets_a_new_password_and_signs_out_everywhere(client, ann, commit, mailoutbox):
    elsewhere = Client()
    sign_in(elsewhere)
    link = _reset_link(client, commit, mailoutbox)

    form = client.get(path_of(link))
    done = client.post(path_of(link), {"password1": NEW, "password2": NEW})

    assert form.status_code == 200
    assert "Choose a new password" in form.content.decode()
    assert (done.status_code, done["Location"]) == (302, "/account/login/")
    user = get_user_model().objects.get()
    assert (user.check_password(NEW), user.check_password(PASSWORD)) == (True, False)
    assert UserSession.objects.count() == 0
    assert elsewhere.get("/account/orders/").status_code == 302
    assert AuditEntry.objects.filter(action="account.password_reset").count() == 1
    assert sign_in(Client(), password=NEW).status_code == 302


def test_the_link_works_once(client, ann, commit, mailoutbox):
    link = _reset_link(client, commit, mailoutbox)
    client.post(path_of(link), {"password1": NEW, "password2": NEW})

    again_get = client.get(path_of(link))
    again_post = client.post(path_of(link), {"password1": "Third-password-77", "password2": "Third-password-77"})

    assert (again_get.status_code, again_post.status_code) == (400, 400)
    assert "This link is not valid." in again_post.content.decode()
    assert get_user_model().objects.get().check_password(NEW)
    assert AuditEntry.objects.filter(action="account.password_reset").count() == 1


def test_a_weak_new_password_is_refused_and_the_link_still_works(client, ann, commit, mailoutbox):
    link = _reset_link(client, commit, mailoutbox)

    weak = client.post(path_of(link), {"password1": "12345678", "password2": "12345678"})

    assert weak.status_code == 400
    assert "This password is too common." in weak.content.decode()
    assert get_user_model().objects.get().check_password(PASSWORD)
    assert client.get(path_of(link)).status_code == 200


@pytest.mark.parametrize("path", ["/account/password-reset/MQ/bad-token/", "/account/password-reset/!!/x-y/",
                                  "/account/password-reset/OTk5OTk/abc-def/"])
def test_a_forged_link_is_refused(client, ann, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()


def test_reset_counts_as_verifying_the_address(client, make_buyer, commit, mailoutbox):
    make_buyer("ann@example.com", verified=False)
    mailoutbox.clear()
    link = _reset_link(client, commit, mailoutbox)

    client.post(path_of(link), {"password1": NEW, "password2": NEW})

    assert BuyerProfile.objects.get().email_verified_at is not None


def test_the_service_link_matches_the_mailed_one(ann, commit, mailoutbox):
    with commit():
        assert services.request_password_reset("ann@example.com") is True

    assert links_in(mailoutbox[0]) == [services.reset_url(ann)]
