"""`yongxu maintenance end CLOSURE_ID` ends one closure of any source and prints the state (exit 0);
an unknown id or a closure already over exits 2 with a clear message and changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yongxu.audit.models import AuditEntry
from yongxu.maintenance import services
from yongxu.maintenance.models import Closure
from yongxu.maintenance.tests.conftest import NOW, OPERATOR

pytestmark = pytest.mark.django_db


def maintenance(*args) -> str:
    out = StringIO()
    call_command("maintenance", *args, stdout=out)
    return out.getvalue()


def protection():
    return services.close_capabilities(["delivery"], source="protection:key-vault", reason="vault sealed", until=None,
                                       actor="system:protection", level="modules")


def test_a_protection_closure_is_ended_and_the_state_printed(client, frozen):
    closure = protection()
    assert client.get("/o/any/").status_code == 503

    output = maintenance("end", str(closure.pk), "--note", "vault unsealed by hand")

    assert output == "open: every capability is open\n"
    closure.refresh_from_db()
    assert closure.ended_at == NOW
    assert client.get("/o/any/").status_code == 404  # open again: the order simply does not exist
    [entry] = AuditEntry.objects.filter(action="maintenance.opened")
    assert (entry.actor, entry.data) == ("cli", {"source": "protection:key-vault", "closures": [closure.pk],
                                                 "note": "vault unsealed by hand"})


def test_one_closure_ends_and_the_others_stay(frozen):
    ended, kept = protection(), services.turn_on("readonly", actor=OPERATOR)

    output = maintenance("end", str(ended.pk), "--json")

    assert '"closed": ["checkout", "payment"]' in output
    assert list(Closure.objects.filter(ended_at__isnull=True).values_list("pk", flat=True)) == [kept.pk]


def test_an_upcoming_closure_is_ended_before_it_begins(client, frozen):
    closure = services.close_capabilities(["browse"], source="manual", reason="x", until=NOW + timedelta(hours=3),
                                          actor=OPERATOR, starts_at=NOW + timedelta(hours=1))

    maintenance("end", str(closure.pk))

    frozen.move_to(NOW + timedelta(hours=2), tick=False)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("when", ["unknown", "ended", "ended by the clock"])
def test_an_unknown_or_finished_closure_exits_2(frozen, when):
    closure = services.close_capabilities(["browse"], source="manual", reason="x", until=NOW + timedelta(hours=1),
                                          actor=OPERATOR)
    if when == "ended":
        services.end_closure(closure.pk, actor=OPERATOR)
    if when == "ended by the clock":
        frozen.move_to(NOW + timedelta(hours=2), tick=False)
    entries = AuditEntry.objects.count()

    with pytest.raises(CommandError) as refused:
        maintenance("end", str(closure.pk + 1 if when == "unknown" else closure.pk))

    assert refused.value.returncode == 2
    assert str(refused.value) == (f"closure_not_found: No closure #{closure.pk + 1}." if when == "unknown"
                                  else f"closure_over: Closure #{closure.pk} has already ended.")
    assert AuditEntry.objects.count() == entries


def test_status_names_each_closure_with_its_id_and_source(frozen):
    closure = protection()
    window = services.close_capabilities(["browse"], source="manual", reason="x", until=NOW + timedelta(hours=3),
                                         actor=OPERATOR, starts_at=NOW + timedelta(hours=1))

    with pytest.raises(SystemExit):
        output = StringIO()
        call_command("maintenance", "status", stdout=output)

    assert f"  closure {closure.pk} (Automatic protection: protection:key-vault): modules since {NOW.isoformat()}" in (
        output.getvalue())
    assert f"(closure {window.pk}, Manual switch: manual)" in output.getvalue()
