"""Every support form needs the CSRF token: without it nothing is opened, sent or closed."""

import pytest
from django.test import Client
from django.urls import reverse

from yongxu.support.models import Message, Ticket, TicketStatus
from yongxu.support.tests.factories import BUYER, open_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


def test_opening_without_the_token_is_refused(strict):
    answer = strict.post(reverse("support"), {"subject": "Help", "message": "Please", "email": BUYER})

    assert answer.status_code == 403
    assert Ticket.objects.count() == 0


def test_opening_with_the_token_works(strict):
    strict.get(reverse("support"))
    token = strict.cookies["csrftoken"].value

    answer = strict.post(reverse("support"), {"subject": "Help", "message": "Please", "email": BUYER,
                                              "csrfmiddlewaretoken": token})

    assert answer.status_code == 302


def test_replying_and_closing_without_the_token_are_refused(strict):
    ticket = open_ticket()

    replied = strict.post(reverse("support-ticket", args=[ticket.token]), {"message": "Hi"})
    closed = strict.post(reverse("support-close", args=[ticket.token]))

    ticket.refresh_from_db()
    assert (replied.status_code, closed.status_code) == (403, 403)
    assert Message.objects.count() == 1
    assert ticket.status == TicketStatus.OPEN


def test_the_staff_reply_without_the_token_is_refused(operator):
    ticket = open_ticket()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator)

    answer = strict.post(reverse("admin:support_ticket_reply", args=[ticket.pk]), {"message": "Hi"})

    assert answer.status_code == 403
    assert Message.objects.count() == 1
