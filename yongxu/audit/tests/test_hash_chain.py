import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yongxu.audit.models import AuditEntry
from yongxu.audit.services import record, verify_chain


@pytest.fixture
def three_entries(db):
    return [record(f"test.step{n}", actor="test", data={"n": n, "amount": "9.99"}) for n in range(3)]


def test_each_entry_holds_the_hash_of_the_one_before(three_entries):
    first, second, third = three_entries

    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    assert verify_chain().ok is True
    assert verify_chain().checked == 3


def test_an_edited_entry_is_reported_by_id(three_entries):
    AuditEntry.objects.filter(pk=three_entries[1].pk).update(data={"n": 1, "amount": "0.01"})

    report = verify_chain()

    assert report.ok is False
    assert report.first_bad_id == three_entries[1].pk
    assert "changed" in report.problem


def test_a_deleted_entry_is_reported_at_the_one_after_it(three_entries):
    AuditEntry.objects.filter(pk=three_entries[1].pk).delete()

    report = verify_chain()

    assert report.ok is False
    assert report.first_bad_id == three_entries[2].pk


def test_reordered_entries_are_reported(three_entries):
    first, second, _ = three_entries
    AuditEntry.objects.filter(pk=first.pk).update(action=second.action, data=second.data)
    AuditEntry.objects.filter(pk=second.pk).update(action=first.action, data=first.data)

    assert verify_chain().first_bad_id == first.pk


def test_deleting_the_newest_entry_is_noticed(three_entries):
    AuditEntry.objects.filter(pk=three_entries[2].pk).delete()

    report = verify_chain()

    assert report.ok is False
    assert "newest" in report.problem


def test_the_command_exits_non_zero_on_a_broken_chain(three_entries, capsys):
    call_command("audit", "verify")
    assert "3 entries checked" in capsys.readouterr().out

    AuditEntry.objects.filter(pk=three_entries[0].pk).update(actor="someone else")

    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    assert raised.value.returncode == 1
    assert f"entry #{three_entries[0].pk}" in str(raised.value)


def test_a_user_actor_is_recorded_by_username(db, django_user_model):
    user = django_user_model.objects.create_user("alice", password="x")

    entry = record("test.user", actor=user)

    assert entry.actor == "user:alice"
