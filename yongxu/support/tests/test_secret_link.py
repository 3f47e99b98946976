"""The secret link shows the conversation, staff replies included, and never an internal note."""

import pytest
from django.urls import reverse

from yongxu.support.services import reply_as_staff
from yongxu.support.tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def test_the_conversation_is_shown_without_internal_notes(client, operator):
    ticket = open_ticket(body="My key says already used.")
    reply_as_staff(ticket, body="INTERNAL: buyer bought twice, check the second key", internal=True, actor=operator)
    reply_as_staff(ticket, body="Sorry! Here is a new key: NEW-123.", actor=operator)

    answer = client.get(reverse("support-ticket", args=[ticket.token]))

    page = answer.content.decode()
    assert answer.status_code == 200
    assert ticket.subject in page and ticket.number in page
    assert "My key says already used." in page
    assert "Sorry! Here is a new key: NEW-123." in page
    assert "INTERNAL" not in page
    assert "bought twice" not in page
    assert "operator" not in page
    assert "Waiting for your reply" in page


def test_a_wrong_token_finds_nothing(client):
    ticket = open_ticket()

    assert client.get(reverse("support-ticket", args=[ticket.token[:-1] + "x"])).status_code == 404
    assert client.get(reverse("support-ticket", args=["0"])).status_code == 404


def test_a_link_shows_its_own_ticket_only(client):
    first, second = open_ticket(subject="First problem"), open_ticket(subject="Second problem")

    page = client.get(reverse("support-ticket", args=[first.token])).content.decode()

    assert "First problem" in page
    assert "Second problem" not in page
    assert second.token not in page
