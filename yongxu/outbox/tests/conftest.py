"""The outbox tests' clock (the scripted mail server's fixture, ``mail_server``, is in yongxu/conftest.py)."""

import pytest


@pytest.fixture
def outbox_frozen(time_machine):
    from datetime import UTC, datetime

    time_machine.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=UTC), tick=False)
    return time_machine
