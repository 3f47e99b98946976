"""The unsubscribe link: a GET changes nothing (link scanners), one POST (the button, or the mail
client's RFC 8058 one-click POST) stops every notice; a forged token is refused."""

from datetime import timedelta

import pytest

from yongxu.notices import advance
from yongxu.notices.mail import unsubscribe_url
from yongxu.notices.models import StatusSubscriber, Unsubscribe
from yongxu.notices.tests.conftest import buyer_ordered, schedule

pytestmark = pytest.mark.django_db


def test_one_post_unsubscribes_and_later_notices_skip_the_address(client, frozen, mailoutbox, settings):
    buyer_ordered("ann@example.com")
    StatusSubscriber.objects.create(email="ann@example.com")
    path = unsubscribe_url("Ann@Example.com").removeprefix(settings.SITE_URL)

    assert client.get(path).status_code == 200
    assert Unsubscribe.objects.count() == 0

    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert list(Unsubscribe.objects.values_list("email", flat=True)) == ["ann@example.com"]
    assert StatusSubscriber.objects.count() == 0
    schedule(starts_in=timedelta(hours=20))
    advance.run_due()
    assert mailoutbox == []


def test_a_forged_token_is_refused(client):
    response = client.post("/status/unsubscribe/not-a-token/")

    assert response.status_code == 400
    assert Unsubscribe.objects.count() == 0
