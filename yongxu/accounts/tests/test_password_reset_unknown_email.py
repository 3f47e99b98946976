"""An address with no account gets exactly the same page as one with an account, and no e-mail."""

import re

import pytest

from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _page(response, email: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode().replace(email, ""))


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, ann, commit, mailoutbox):
    with commit():
        known = client.post("/account/password-reset/", {"email": "ann@example.com"})
    mailoutbox.clear()
    audit_before = AuditEntry.objects.count()

    with commit():
        unknown = client.post("/account/password-reset/", {"email": "nobody@example.com"})

    assert (known.status_code, unknown.status_code) == (200, 200)
    assert "If an account exists for nobody@example.com, we have sent it a link" in unknown.content.decode()
    assert _page(known, "ann@example.com") == _page(unknown, "nobody@example.com")
    assert mailoutbox == []
    assert AuditEntry.objects.count() == audit_before


def test_a_malformed_address_is_refused_without_mail(client, commit, mailoutbox, db):
    with commit():
        response = client.post("/account/password-reset/", {"email": "not an address"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert mailoutbox == []
