"""Staff can see buyer profiles and sessions in the admin, but not edit them or read session keys."""

import pytest

from yongxu.accounts.models import BuyerProfile, UserSession
from yongxu.accounts.tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_profiles_and_sessions_are_shown_read_only(client, ann, operator):
    buyer = type(client)()
    sign_in(buyer)
    session = UserSession.objects.get()
    client.force_login(operator)

    listing = client.get("/admin/accounts/usersession/")
    detail = client.get(f"/admin/accounts/usersession/{session.pk}/change/")
    profile = client.get(f"/admin/accounts/buyerprofile/{BuyerProfile.objects.get().pk}/change/")
    add = client.get("/admin/accounts/buyerprofile/add/")
    post = client.post(f"/admin/accounts/buyerprofile/{BuyerProfile.objects.get().pk}/change/", {"language": "xx"})

    assert (listing.status_code, detail.status_code, profile.status_code, add.status_code) == (200, 200, 200, 403)
    assert "ann@example.com" in listing.content.decode()
    assert session.session_key not in detail.content.decode()
    assert post.status_code == 403
    assert BuyerProfile.objects.get().language == "en"
