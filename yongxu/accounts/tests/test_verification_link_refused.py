"""A verification link that was tampered with, is garbage, or is older than 3 days verifies nothing."""


import pytest
import time_machine
from django.core import signing

from yongxu.accounts import services
from yongxu.accounts.models import BuyerProfile
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(make_buyer):
    return make_buyer("ann@example.com", verified=False)


def _nothing_verified():
    assert BuyerProfile.objects.get().email_verified_at is None
    assert not AuditEntry.objects.filter(action="account.email_verified").exists()


def test_a_tampered_link_is_refused(client, unverified):
    token = services.verification_token(unverified)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    response = client.get(f"/account/verify/{tampered}/")

    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()
    _nothing_verified()


def test_a_link_signed_for_another_account_is_refused(client, unverified, make_buyer):
    other = make_buyer("bob@example.com", verified=False)
    forged = signing.TimestampSigner(salt=services.VERIFY_SALT).sign_object({"u": unverified.pk, "e": other.email})

    response = client.get(f"/account/verify/{forged}/")

    assert response.status_code == 400
    assert BuyerProfile.objects.filter(email_verified_at__isnull=False).count() == 0


def test_garbage_is_refused(client, unverified):
    response = client.get("/account/verify/not-a-token/")

    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()
    _nothing_verified()


def test_a_link_older_than_three_days_has_expired(client, unverified):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        token = services.verification_token(unverified)

    with time_machine.travel("2026-03-04 12:00:01Z", tick=False):
        response = client.get(f"/account/verify/{token}/")

    assert response.status_code == 400
    assert "This link has expired. Ask for a new one." in response.content.decode()
    assert 'href="/account/verify/resend/"' in response.content.decode()
    _nothing_verified()


def test_a_link_just_under_three_days_old_still_works(client, unverified):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        token = services.verification_token(unverified)

    with time_machine.travel("2026-03-04 11:59:59Z", tick=False):
        response = client.get(f"/account/verify/{token}/")

    assert response.status_code == 302
    assert BuyerProfile.objects.get().email_verified_at is not None
