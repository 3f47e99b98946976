"""A buyer may attach a file: an allowed type within the size limit is kept (under a random name)
and shown on the ticket; a file too large, or whose bytes are not what its name says, is refused
and nothing is stored."""

import pytest
from django.urls import reverse

from yongxu.support.models import Attachment, Ticket
from yongxu.support.tests.factories import BUYER, EXE, PDF, PNG, open_ticket, upload

pytestmark = pytest.mark.django_db


def open_with(client, file):
    return client.post(reverse("support"), {"subject": "Screenshot", "message": "See the error.", "email": BUYER,
                                            "attachment": file})


def test_a_png_is_accepted_and_shown_on_the_ticket(client, media_root):
    answer = open_with(client, upload("error screen.png", PNG, "image/png"))

    ticket = Ticket.objects.get()
    attachment = Attachment.objects.get()
    assert answer.status_code == 302
    assert (attachment.message.ticket, attachment.name, attachment.content_type, attachment.size) == (
        ticket, "error_screen.png", "image/png", len(PNG))
    assert "error" not in attachment.file.name.rsplit("/", 1)[-1]
    assert (media_root / attachment.file.name).read_bytes() == PNG
    page = client.get(answer["Location"]).content.decode()
    assert f"/support/t/{ticket.token}/files/{attachment.pk}/" in page
    assert "error_screen.png" in page


def test_a_reply_may_carry_a_pdf(client):
    ticket = open_ticket()

    client.post(reverse("support-ticket", args=[ticket.token]), {"message": "Receipt attached.",
                                                                 "attachment": upload("receipt.pdf", PDF)})

    assert Attachment.objects.get().content_type == "application/pdf"


def test_a_file_over_the_limit_is_refused(client, settings):
    settings.YONGXU_SUPPORT_ATTACHMENT_MAX_BYTES = 1024

    answer = open_with(client, upload("big.png", PNG + b"\x00" * 1024, "image/png"))

    assert answer.status_code == 400
    assert "The file is too large: at most" in answer.content.decode()
    assert Ticket.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_a_program_renamed_png_is_refused_by_its_bytes(client, media_root):
    answer = open_with(client, upload("photo.png", EXE, "image/png"))

    assert answer.status_code == 400
    assert "does not match its name (.png)" in answer.content.decode()
    assert Ticket.objects.count() == 0
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_a_pdf_named_png_is_refused(client):
    answer = open_with(client, upload("photo.png", PDF, "image/png"))

    assert answer.status_code == 400
    assert Ticket.objects.count() == 0


def test_an_exe_is_refused_by_its_name(client):
    answer = open_with(client, upload("setup.exe", EXE))

    assert answer.status_code == 400
    assert "This type of file is not accepted." in answer.content.decode()


def test_a_refused_file_on_a_reply_keeps_the_message_unsent(client):
    ticket = open_ticket()

    answer = client.post(reverse("support-ticket", args=[ticket.token]),
                         {"message": "Here you go", "attachment": upload("a.txt", EXE)})

    assert answer.status_code == 400
    assert ticket.messages.count() == 1
    assert "Here you go" in answer.content.decode()
