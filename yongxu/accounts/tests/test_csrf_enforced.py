"""Every account form needs its CSRF token: a cross-site post changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from yongxu.accounts.models import UserSession
from yongxu.accounts.tests.conftest import PASSWORD
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

FORMS = {
    "/account/signup/": {"email": "eve@example.com", "password1": PASSWORD, "password2": PASSWORD},
    "/account/login/": {"email": "ann@example.com", "password": PASSWORD},
    "/account/logout/": {},
    "/account/password-reset/": {"email": "ann@example.com"},
    "/account/verify/resend/": {"email": "ann@example.com"},
    "/account/sessions/revoke/": {"scope": "all"},
}


@pytest.mark.parametrize("path", list(FORMS))
def test_a_post_without_the_token_is_refused(ann, commit, mailoutbox, path):
    browser = Client(enforce_csrf_checks=True)
    audit_before = AuditEntry.objects.count()

    with commit():
        response = browser.post(path, FORMS[path])

    assert response.status_code == 403
    assert get_user_model().objects.count() == 1
    assert UserSession.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    assert mailoutbox == []


def test_a_signed_in_buyer_cannot_be_signed_out_or_revoked_cross_site(ann):
    browser = Client(enforce_csrf_checks=True)
    token = browser.get("/account/login/").cookies["csrftoken"].value
    browser.post("/account/login/", {"email": "ann@example.com", "password": PASSWORD, "csrfmiddlewaretoken": token})

    cross_site = [browser.post(path).status_code for path in ("/account/logout/", "/account/sessions/revoke/")]

    assert cross_site == [403, 403]
    assert UserSession.objects.count() == 1
    assert browser.get("/account/orders/").status_code == 200


def test_the_reset_form_needs_its_token(ann, client, commit, mailoutbox):
    from yongxu.accounts import services
    from yongxu.accounts.tests.conftest import path_of

    path = path_of(services.reset_url(ann))

    response = Client(enforce_csrf_checks=True).post(path, {"password1": "Brand-new-42-x", "password2": "Brand-new-42-x"})

    assert response.status_code == 403
    assert get_user_model().objects.get().check_password(PASSWORD)
