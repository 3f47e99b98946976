"""Every support form refuses invalid, missing and oversized values with a message beside the field,
keeps what was typed, and stores and sends nothing."""

import pytest
from django.urls import reverse

from yongxu.support.models import Message, Ticket
from yongxu.support.tests.factories import BUYER, open_ticket

pytestmark = pytest.mark.django_db

GOOD = {"subject": "Key does not work", "message": "It says already used.", "email": BUYER, "order_number": ""}


@pytest.mark.parametrize(("field", "value", "says"), [
    ("subject", "", "This field is required."),
    ("subject", "   ", "This field is required."),
    ("subject", "s" * 201, "Ensure this value has at most 200 characters (it has 201)."),
    ("message", "", "This field is required."),
    ("message", "m" * 10_001, "Ensure this value has at most 10000 characters (it has 10001)."),
    ("email", "", "This field is required."),
    ("email", "not-an-email", "Enter a valid email address."),
    ("email", "a@b", "Enter a valid email address."),
    ("email", "x" * 250 + "@example.com", "Ensure this value has at most 254 characters"),
    ("order_number", "Y" * 25, "Ensure this value has at most 24 characters (it has 25)."),
])
def test_the_ticket_form_refuses(client, committed, mailoutbox, field, value, says):
    with committed():
        answer = client.post(reverse("support"), {**GOOD, field: value})

    page = answer.content.decode()
    assert answer.status_code == 400
    assert says in page.split(f'for="id_{field}"')[1].split("</label>")[0]
    assert "No ticket was opened yet." in page
    assert Ticket.objects.count() == 0
    assert mailoutbox == []


def test_a_missing_field_is_refused(client):
    answer = client.post(reverse("support"), {"subject": "Only a subject"})

    assert answer.status_code == 400
    assert Ticket.objects.count() == 0
    assert 'value="Only a subject"' in answer.content.decode()


def test_the_exact_limits_are_accepted(client):
    answer = client.post(reverse("support"), {**GOOD, "subject": "s" * 200, "message": "m" * 10_000})

    assert answer.status_code == 302
    assert len(Ticket.objects.get().subject) == 200


@pytest.mark.parametrize(("value", "says"), [
    ("", "This field is required."),
    ("  \n ", "This field is required."),
    ("m" * 10_001, "Ensure this value has at most 10000 characters (it has 10001)."),
])
def test_the_reply_form_refuses(client, committed, mailoutbox, value, says):
    ticket = open_ticket()

    with committed():
        answer = client.post(reverse("support-ticket", args=[ticket.token]), {"message": value})

    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert Message.objects.count() == 1
    assert mailoutbox == []


def test_the_staff_reply_form_refuses_an_oversized_message(client, operator, mailoutbox):
    ticket = open_ticket()
    client.force_login(operator)

    answer = client.post(reverse("admin:support_ticket_reply", args=[ticket.pk]), {"message": "m" * 10_001})

    assert answer.status_code == 400
    assert "Ensure this value has at most 10000 characters (it has 10001)." in answer.content.decode()
    assert Message.objects.count() == 1


def test_the_services_refuse_what_a_form_would_not_catch(operator):
    from yongxu.support.errors import InvalidTicket
    from yongxu.support.services import open_ticket as open_ticket_service

    with pytest.raises(InvalidTicket) as refused:
        open_ticket_service(subject="s" * 201, body="b", email=BUYER, actor="test")

    assert refused.value.code == "too_long"
    assert Ticket.objects.count() == 0
