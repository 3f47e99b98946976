"""A closure's source is a registered constant, not a convention: ``close_capabilities`` refuses a kind
nobody registered and a detail its kind does not accept, and closes nothing; a kind registers once."""

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.maintenance import services, sources
from yongxu.maintenance.models import Closure, StateStamp
from yongxu.maintenance.tests.conftest import OPERATOR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("source", ["window:advisor", "window", "window:999", "manual:extra", "protection", "breaker:",
                                    "supplier:acme", "", "protection:two words"])
def test_an_unregistered_source_closes_nothing(source):
    with pytest.raises(services.MaintenanceError) as refused:
        services.close_capabilities(["browse"], source=source, reason="x", until=None, actor=OPERATOR)

    assert refused.value.code == "unknown_source"
    assert (Closure.objects.count(), AuditEntry.objects.count(), StateStamp.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize("source", ["manual", "protection:key-vault", "breaker:payment:epay", "release", "release:v2.3.1",
                                    "waitroom"])
def test_a_registered_source_closes(source):
    closure = services.close_capabilities(["browse"], source=source, reason="x", until=None, actor=OPERATOR)

    assert Closure.objects.get().source == closure.source == source


def test_a_kind_registers_once():
    with pytest.raises(ValueError, match="registered already"):
        sources.register(sources.Source(kind="manual", label="Again", public_title="Again", public_notice="Again."))

    assert sources.entry("manual").label == "Manual switch"


def test_an_unregistered_row_reads_as_unknown():
    entry = sources.entry("supplier:acme")

    assert (entry is sources.UNKNOWN, str(entry.public_title), sources.window_id("window:advisor")) == (
        True, "Maintenance", None)
