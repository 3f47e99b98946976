"""A buyer who lost the link asks for a new one; the page never says whether the address has an account."""

import pytest

from yongxu.accounts.tests.conftest import links_in

pytestmark = pytest.mark.django_db

SAME_PAGE = "If an unverified account exists for"


def test_an_unverified_account_gets_a_fresh_link(client, make_buyer, commit, mailoutbox):
    make_buyer("ann@example.com", verified=False)
    mailoutbox.clear()

    with commit():
        response = client.post("/account/verify/resend/", {"email": "ANN@example.com"})

    assert SAME_PAGE in response.content.decode()
    [message] = mailoutbox
    assert message.to == ["ann@example.com"]
    assert len(links_in(message)) == 1


@pytest.mark.parametrize("email", ["nobody@example.com", "ann@example.com"])
def test_unknown_or_already_verified_addresses_get_the_same_page_and_no_mail(client, make_buyer, commit, mailoutbox,
                                                                              email):
    make_buyer("ann@example.com", verified=True)
    mailoutbox.clear()

    with commit():
        response = client.post("/account/verify/resend/", {"email": email})

    assert response.status_code == 200
    assert SAME_PAGE in response.content.decode()
    assert mailoutbox == []
