from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from yongxu.audit.models import AuditEntry
from yongxu.maintenance.models import Closure
from yongxu.planner.errors import BadAdviceRequest
from yongxu.planner.services import schedule_window

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_scheduling_creates_a_clock_driven_closure_with_an_audit_entry():
    start = NOW + timedelta(days=1)

    closure = schedule_window(starts_at=start, duration=timedelta(hours=2), level="full", actor="ops@example.com")

    assert (closure.source, closure.level, closure.starts_at, closure.ends_at) == ("window:advisor", "full", start,
                                                                                   start + timedelta(hours=2))
    assert AuditEntry.objects.filter(action="maintenance.closed").count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_window_in_the_past_is_refused_and_nothing_scheduled():
    with pytest.raises(BadAdviceRequest):
        schedule_window(starts_at=NOW - timedelta(minutes=15), duration=timedelta(hours=2), level="full", actor="ops")

    assert Closure.objects.count() == 0
