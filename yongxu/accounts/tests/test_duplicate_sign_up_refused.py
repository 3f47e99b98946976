"""One address, one account, whatever its letters' case: a second sign-up is refused and changes nothing."""

import pytest
from django.contrib.auth import get_user_model

from yongxu.accounts import services
from yongxu.accounts.errors import EmailTaken
from yongxu.accounts.tests.conftest import PASSWORD
from yongxu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("email", ["ann@example.com", "ANN@EXAMPLE.COM", " Ann@Example.com "])
def test_the_same_address_in_any_case_is_refused(client, make_buyer, commit, mailoutbox, email):
    first = make_buyer("ann@example.com", verified=False)
    mailoutbox.clear()
    audit_before = AuditEntry.objects.count()

    with commit():
        response = client.post("/account/signup/", {"email": email, "password1": "Another-pass-123",
                                                    "password2": "Another-pass-123"})

    assert response.status_code == 400
    assert "An account with this e-mail address already exists." in response.content.decode()
    assert list(get_user_model().objects.values_list("pk", flat=True)) == [first.pk]
    assert get_user_model().objects.get().check_password(PASSWORD)
    assert mailoutbox == []
    assert AuditEntry.objects.count() == audit_before


def test_the_service_refuses_with_a_stable_code(make_buyer):
    make_buyer("ann@example.com")

    with pytest.raises(EmailTaken) as refused:
        services.sign_up(email="Ann@example.com", password=PASSWORD)

    assert refused.value.code == "email_taken"
