"""Past YONGXU_SUPPORT_OPEN_ATTEMPTS tries per client and window, opening a ticket answers 429 and
stores nothing; failed tries count too, and another client is not held back."""

import pytest
from django.urls import reverse

from yongxu.support.models import Ticket
from yongxu.support.tests.factories import BUYER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_attempts(settings):
    settings.YONGXU_SUPPORT_OPEN_ATTEMPTS = 3


def submit(client, **extra):
    return client.post(reverse("support"), {"subject": "Help", "message": "Please", "email": BUYER}, **extra)


def test_the_attempt_past_the_limit_is_refused(client):
    answers = [submit(client).status_code for _ in range(3)]

    refused = submit(client)

    assert answers == [302, 302, 302]
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert Ticket.objects.count() == 3


def test_failed_attempts_count_too(client):
    for _ in range(3):
        client.post(reverse("support"), {"subject": "Help", "message": "Please", "email": BUYER,
                                         "order_number": "YX250101GUESSGUESS"})

    assert submit(client).status_code == 429
    assert Ticket.objects.count() == 0


def test_another_client_is_not_held_back(client):
    for _ in range(4):
        submit(client)

    assert submit(client, REMOTE_ADDR="198.51.100.7").status_code == 302
