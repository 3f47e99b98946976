"""Maintenance-only helpers: a var/ folder per test (version stamp, pre-rendered pages), Huey in
process, the operator's switch, and a staff member allowed through maintenance."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from huey.contrib.djhuey import HUEY

from yongxu.maintenance import channel, services

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
OPERATOR = "test:operator"
INTERNAL_REASON = "INTERNAL: migrating orders table, ticket OPS-4711"


@pytest.fixture(autouse=True)
def maintenance_sandbox(settings, tmp_path, monkeypatch, request):
    """Each test gets its own var/ (the stamp file and the page copies). Huey runs tasks at once.
    The process-wide gate does not start a pub/sub listener thread here: a thread reading the
    database outside the test's transaction would see another state. test_redis_pubsub starts its own."""
    settings.VAR_DIR = tmp_path / "var"
    settings.YONGXU_MAINTENANCE_ALLOW_IPS = []
    settings.YONGXU_TRUSTED_PROXIES = []
    if not request.node.get_closest_marker("redis"):
        monkeypatch.setattr(channel, "listen", lambda on_message: None)
    was = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = was


@pytest.fixture
def frozen(time_machine):
    """Time stands still at NOW until the test moves it."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and what waits for its commit (the announcement, the reopening tasks)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def switch_on(level: str = "full", **options):
    """The operator's manual switch (services.turn_on), by a test operator."""
    return services.turn_on(level, actor=OPERATOR, **options)


def switch_off() -> int:
    return services.turn_off(actor=OPERATOR)


@pytest.fixture
def bypasser(db, django_user_model):
    """Staff allowed to use the shop during maintenance (maintenance.bypass)."""
    user = django_user_model.objects.create_user(username="bypasser", password="pw-bypasser", is_staff=True)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="maintenance", codename="bypass"))
    return user


def secret_of(closure) -> str:
    closure.refresh_from_db()
    return closure.secret_id
