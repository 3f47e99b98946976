"""An attachment is served only with its ticket's token (and never one of an internal note), or to
staff in the admin; anybody else gets a 404, signed in or not."""

import pytest
from django.urls import reverse

from yongxu.support.services import reply_as_staff
from yongxu.support.tests.factories import PNG, open_ticket, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket():
    return open_ticket(attachment=upload("shot.png", PNG))


def test_the_ticket_token_gets_the_file(client, ticket):
    attachment = ticket.messages.get().attachments.get()

    answer = client.get(reverse("support-attachment", args=[ticket.token, attachment.pk]))

    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PNG
    assert answer["Content-Type"] == "image/png"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in answer["Content-Security-Policy"]


def test_another_tickets_token_gets_404(client, ticket, outsider):
    attachment = ticket.messages.get().attachments.get()
    other = open_ticket()
    client.force_login(outsider)

    assert client.get(reverse("support-attachment", args=[other.token, attachment.pk])).status_code == 404
    assert client.get(reverse("support-attachment", args=["guess", attachment.pk])).status_code == 404


def test_an_internal_notes_file_is_not_served_on_the_buyers_link(client, ticket, operator):
    note = reply_as_staff(ticket, body="Fraud evidence", internal=True, attachment=upload("evidence.png", PNG),
                          actor=operator)

    answer = client.get(reverse("support-attachment", args=[ticket.token, note.attachments.get().pk]))

    assert answer.status_code == 404


def test_staff_get_it_from_the_admin(client, ticket, operator):
    attachment = ticket.messages.get().attachments.get()
    client.force_login(operator)

    answer = client.get(reverse("admin:support_ticket_attachment", args=[ticket.pk, attachment.pk]))

    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PNG


def test_a_signed_in_buyer_does_not_get_it_from_the_admin(client, ticket, outsider):
    attachment = ticket.messages.get().attachments.get()
    client.force_login(outsider)

    answer = client.get(reverse("admin:support_ticket_attachment", args=[ticket.pk, attachment.pk]))

    assert answer.status_code == 302
    assert answer["Location"].startswith("/admin/login/")


def test_media_files_are_not_served_publicly(client, ticket):
    attachment = ticket.messages.get().attachments.get()

    assert client.get("/media/" + attachment.file.name).status_code == 404
