"""Status, priority and assignee are changed from the admin's ticket page through change_ticket:
each change is audited with its old and new value; saving without a change records nothing."""

import pytest
from django.urls import reverse

from yongxu.audit.models import AuditEntry
from yongxu.support.errors import InvalidAssignee
from yongxu.support.models import Priority, TicketStatus
from yongxu.support.services import change_ticket
from yongxu.support.tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def save(client, ticket, **fields):
    data = {"status": ticket.status, "priority": ticket.priority, "assignee": ticket.assignee_id or "", **fields}
    return client.post(reverse("admin:support_ticket_change", args=[ticket.pk]), data)


def test_status_priority_and_assignee_changes_are_audited(client, operator, merchant):
    ticket = open_ticket()
    client.force_login(operator)

    answer = save(client, ticket, status="closed", priority="urgent", assignee=merchant.pk)

    ticket.refresh_from_db()
    assert answer.status_code == 302
    assert (ticket.status, ticket.priority, ticket.assignee) == (TicketStatus.CLOSED, Priority.URGENT, merchant)
    entry = AuditEntry.objects.get(action="support.ticket_changed")
    assert (entry.actor, entry.subject_id) == ("user:operator", str(ticket.pk))
    assert entry.data == {"status": ["open", "closed"], "priority": ["normal", "urgent"],
                          "assignee": [None, "merchant"]}


def test_saving_without_a_change_records_nothing(client, operator):
    ticket = open_ticket()
    client.force_login(operator)

    save(client, ticket)

    assert not AuditEntry.objects.filter(action="support.ticket_changed").exists()


def test_unassigning_is_audited_too(operator):
    ticket = change_ticket(open_ticket(), assignee=operator, actor=operator)

    change_ticket(ticket, assignee=None, actor=operator)

    changes = [entry.data for entry in AuditEntry.objects.filter(action="support.ticket_changed").order_by("id")]
    assert changes == [{"assignee": [None, "operator"]}, {"assignee": ["operator", None]}]


def test_a_ticket_cannot_be_assigned_to_a_buyer(operator, outsider):
    ticket = open_ticket()

    with pytest.raises(InvalidAssignee):
        change_ticket(ticket, assignee=outsider, actor=operator)

    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert not AuditEntry.objects.filter(action="support.ticket_changed").exists()


def test_the_admin_offers_only_staff_as_assignees(client, operator, outsider):
    ticket = open_ticket()
    client.force_login(operator)

    answer = save(client, ticket, assignee=outsider.pk)

    ticket.refresh_from_db()
    assert answer.status_code == 200
    assert "Select a valid choice" in answer.content.decode()
    assert ticket.assignee is None


def test_the_list_filters_by_status_priority_and_assignee(client, operator):
    urgent = change_ticket(open_ticket(subject="Urgent one"), priority="urgent", assignee=operator, actor=operator)
    open_ticket(subject="Calm one")
    client.force_login(operator)

    page = client.get(reverse("admin:support_ticket_changelist"),
                      {"status__exact": "open", "priority__exact": "urgent",
                       "assignee__id__exact": operator.pk}).content.decode()

    assert urgent.number in page
    assert "Calm one" not in page
