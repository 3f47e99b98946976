"""The buyer writes again on the secret link: the message is stored, a waiting or closed ticket opens
again, staff (the assignee, else the merchant) are told, and the audit log says so."""

import pytest
from django.urls import reverse

from yongxu.audit.models import AuditEntry
from yongxu.conftest import mails
from yongxu.support.models import AuthorKind, TicketStatus
from yongxu.support.services import change_ticket, close_ticket, reply_as_staff
from yongxu.support.tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def test_a_reply_to_a_waiting_ticket_opens_it_and_tells_staff(client, operator, committed, mailoutbox):
    ticket = open_ticket()
    reply_as_staff(ticket, body="Which key?", actor=operator)

    with committed():
        answer = client.post(reverse("support-ticket", args=[ticket.token]), {"message": "The second one."})

    ticket.refresh_from_db()
    assert answer.status_code == 302
    assert answer["Location"] == f"/support/t/{ticket.token}/"
    assert ticket.status == TicketStatus.OPEN
    last = ticket.messages.last()
    assert (last.author_kind, last.body, last.internal) == (AuthorKind.BUYER, "The second one.", False)
    entry = AuditEntry.objects.get(action="support.buyer_replied")
    assert entry.data == {"message": last.pk, "status": ["waiting", "open"], "attachment": False}
    [note] = mails(mailoutbox, "support/email/buyer_replied")
    assert note.to == ["merchant@shop.example"]
    assert "The second one." in note.body


def test_the_assignee_is_told_rather_than_the_merchant(client, operator, committed, mailoutbox):
    ticket = open_ticket()
    change_ticket(ticket, assignee=operator, actor=operator)

    with committed():
        client.post(reverse("support-ticket", args=[ticket.token]), {"message": "Any news?"})

    assert [message.to for message in mails(mailoutbox, "support/email/buyer_replied")] == [["operator@example.com"]]


def test_writing_on_a_closed_ticket_opens_it_again(client, operator):
    ticket = open_ticket()
    close_ticket(ticket, actor=operator)

    client.post(reverse("support-ticket", args=[ticket.token]), {"message": "It broke again."})

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert AuditEntry.objects.get(action="support.buyer_replied").data["status"] == ["closed", "open"]


def test_the_buyer_can_close_a_solved_ticket(client):
    ticket = open_ticket()

    answer = client.post(reverse("support-close", args=[ticket.token]))

    ticket.refresh_from_db()
    assert answer.status_code == 302
    assert ticket.status == TicketStatus.CLOSED
    entry = AuditEntry.objects.get(action="support.ticket_closed")
    assert (entry.actor, entry.data) == ("buyer", {"status": ["open", "closed"]})
    assert "This ticket is closed" in client.get(answer["Location"]).content.decode()
