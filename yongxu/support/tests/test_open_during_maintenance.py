"""Support is never the thing that closes: in full maintenance the shop answers 503, but a buyer can
still open a ticket and follow it."""

import pytest
from django.urls import reverse

from yongxu.maintenance.services import turn_on
from yongxu.support.models import Ticket
from yongxu.support.tests.factories import BUYER, open_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_maintenance(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"  # the pre-rendered maintenance pages go here
    turn_on("full", actor="t")


def test_support_pages_answer_in_full_maintenance(client, full_maintenance):
    ticket = open_ticket()

    assert client.get(reverse("home")).status_code == 503
    assert client.get(reverse("support")).status_code == 200
    assert client.get(reverse("support-ticket", args=[ticket.token])).status_code == 200


def test_a_ticket_can_be_opened_in_full_maintenance(client, full_maintenance):
    answer = client.post(reverse("support"), {"subject": "Down?", "message": "Shop is closed", "email": BUYER})

    assert answer.status_code == 302
    assert Ticket.objects.filter(subject="Down?").exists()
