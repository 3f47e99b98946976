"""A buyer opens a ticket from /support/: it is stored with the first message, the buyer gets the
secret link by e-mail, staff get a short note, and the audit log says so."""

import pytest
from django.urls import reverse

from yongxu.audit.models import AuditEntry
from yongxu.support.models import AuthorKind, Priority, Ticket, TicketStatus
from yongxu.support.tests.factories import BUYER, paid_order

pytestmark = pytest.mark.django_db


def submit(client, **fields):
    data = {"subject": "Key does not work", "message": "It says the code was already used.", "email": BUYER,
            "order_number": "", **fields}
    return client.post(reverse("support"), data)


def test_a_ticket_without_an_order_is_opened_and_the_buyer_lands_on_it(client, committed, mailoutbox):
    with committed():
        answer = submit(client)

    ticket = Ticket.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/support/t/{ticket.token}/"
    assert (ticket.subject, ticket.email, ticket.order, ticket.status, ticket.priority) == (
        "Key does not work", BUYER, None, TicketStatus.OPEN, Priority.NORMAL)
    assert len(ticket.token) >= 40
    message = ticket.messages.get()
    assert (message.author_kind, message.body, message.internal) == (AuthorKind.BUYER,
                                                                     "It says the code was already used.", False)
    entry = AuditEntry.objects.get(action="support.ticket_opened")
    assert (entry.actor, entry.subject_id, entry.data) == ("buyer", str(ticket.pk),
                                                            {"number": ticket.number, "order": "", "attachment": False})


def test_the_buyer_is_emailed_the_secret_link_and_staff_are_told(client, committed, mailoutbox):
    with committed():
        submit(client)

    ticket = Ticket.objects.get()
    to_buyer, to_staff = mailoutbox
    assert to_buyer.to == [BUYER]
    assert f"https://shop.example/support/t/{ticket.token}/" in to_buyer.body
    assert ticket.number in to_buyer.subject
    assert to_staff.to == ["merchant@shop.example"]
    assert "It says the code was already used." in to_staff.body
    assert f"https://shop.example/admin/support/ticket/{ticket.pk}/change/" in to_staff.body
    assert ticket.token not in to_staff.body


def test_a_ticket_about_a_paid_order_is_linked_to_it(client, committed, product):
    order = paid_order(product)

    with committed():
        answer = submit(client, order_number=order.number.lower(), email="Buyer@Example.com")

    ticket = Ticket.objects.get()
    assert answer.status_code == 302
    assert ticket.order == order
    assert AuditEntry.objects.get(action="support.ticket_opened").data["order"] == order.number


def test_the_ticket_remembers_the_buyers_language(client, committed):
    with committed():
        client.post(reverse("support"), {"subject": "订单问题", "message": "卡密无效", "email": BUYER},
                    HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert Ticket.objects.get().language == "zh-hans"


def test_nothing_is_sent_before_the_commit(client, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(client)

    assert len(callbacks) == 2
    assert mailoutbox == []
