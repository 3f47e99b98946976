"""Staff answer from the ticket's admin page: a reply is e-mailed to the buyer alone, with the link,
and the ticket waits on the buyer; an internal note changes nothing the buyer sees and e-mails nobody."""

import pytest
from django.urls import reverse

from yongxu.audit.models import AuditEntry
from yongxu.conftest import mails
from yongxu.support.models import AuthorKind, TicketStatus
from yongxu.support.tests.factories import BUYER, open_ticket, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, operator):
    client.force_login(operator)
    return client


def reply(client, ticket, **data):
    return client.post(reverse("admin:support_ticket_reply", args=[ticket.pk]), data)


def test_a_reply_emails_the_buyer_with_the_link(staff_client, committed, mailoutbox):
    ticket = open_ticket()

    with committed():
        answer = reply(staff_client, ticket, message="Here is a new key: NEW-123.")

    ticket.refresh_from_db()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("admin:support_ticket_change", args=[ticket.pk])
    assert ticket.status == TicketStatus.WAITING
    message = ticket.messages.last()
    assert (message.author_kind, message.author.username, message.internal) == (AuthorKind.STAFF, "operator", False)
    [mail] = mails(mailoutbox, "support/email/replied")
    assert mail.to == [BUYER]
    assert "Here is a new key: NEW-123." in mail.body
    assert f"https://shop.example/support/t/{ticket.token}/" in mail.body
    assert f"https://shop.example/support/t/{ticket.token}/" in mail.alternatives[0][0]
    entry = AuditEntry.objects.get(action="support.staff_replied")
    assert (entry.actor, entry.data) == ("user:operator", {"message": message.pk, "internal": False,
                                                           "status": ["open", "waiting"], "attachment": False})


def test_an_internal_note_emails_nobody_and_keeps_the_status(staff_client, committed, mailoutbox):
    ticket = open_ticket()

    with committed():
        answer = reply(staff_client, ticket, message="Looks like a reseller.", internal="on")

    ticket.refresh_from_db()
    assert answer.status_code == 302
    assert mailoutbox == []
    assert ticket.status == TicketStatus.OPEN
    assert ticket.messages.last().internal is True
    assert AuditEntry.objects.get(action="support.note_added").data["internal"] is True
    assert not AuditEntry.objects.filter(action="support.staff_replied").exists()


def test_the_change_page_shows_the_conversation_and_the_order_beside_it(staff_client, product):
    order = paid_order(product)
    ticket = open_ticket(order=order, body="Where are my keys?")
    reply(staff_client, ticket, message="Checking the gateway.", internal="on")

    page = staff_client.get(reverse("admin:support_ticket_change", args=[ticket.pk])).content.decode()

    assert "Where are my keys?" in page
    assert "Checking the gateway." in page
    assert "INTERNAL NOTE" in page
    assert reverse("admin:orders_order_change", args=[order.pk]) in page
    for shown in (order.number, order.product_name, f"{order.amount} {order.currency}", order.get_status_display()):
        assert shown in page
    assert reverse("admin:support_ticket_reply", args=[ticket.pk]) in page


def test_an_empty_reply_sends_nothing_and_keeps_the_form(staff_client, committed, mailoutbox):
    ticket = open_ticket()

    with committed():
        answer = reply(staff_client, ticket, message="   ")

    assert answer.status_code == 400
    assert "This field is required." in answer.content.decode()
    assert ticket.messages.count() == 1
    assert mailoutbox == []


def test_staff_without_the_permission_cannot_reply(client, clerk, mailoutbox):
    ticket = open_ticket()
    client.force_login(clerk)

    answer = reply(client, ticket, message="Hello")

    assert answer.status_code == 403
    assert ticket.messages.count() == 1


def test_a_buyer_cannot_reach_the_reply_view(client, outsider):
    ticket = open_ticket()
    client.force_login(outsider)

    answer = reply(client, ticket, message="Hello")

    assert answer.status_code == 302
    assert answer["Location"].startswith("/admin/login/")
    assert ticket.messages.count() == 1
