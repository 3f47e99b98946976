"""When what the gate relies on fails, it keeps deciding from its last snapshot and never answers 500:
Redis down (the version is then read from the database, gently), the database down during a refresh.
In embedded mode the version stamp is a file every process can see; the maintenance page is written
under var/ for every language whenever the state changes."""

import pytest
from django.db import OperationalError

from yongxu.maintenance import channel, snapshot
from yongxu.maintenance.models import Closure, StateStamp
from yongxu.maintenance.tests.conftest import INTERNAL_REASON, switch_off, switch_on

pytestmark = pytest.mark.django_db

NOBODY_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def embedded(settings):
    settings.REDIS_URL = ""


@pytest.fixture
def every_request_checks(monkeypatch):
    """The gate looks at the version channel on every request instead of about once a second."""
    monkeypatch.setattr(snapshot, "CHECK_INTERVAL", 0)
    monkeypatch.setattr(snapshot, "DATABASE_POLL_INTERVAL", 0)


def closed_elsewhere(version: int) -> None:
    """Another process (the CLI, another worker) closed the shop: rows and stamp, no invalidate() here."""
    from yongxu.core import clock

    Closure.objects.create(source="manual", level="full", starts_at=clock.now(), created_by="cli")
    StateStamp.objects.update_or_create(pk=1, defaults={"version": version})


def test_with_redis_unreachable_the_gate_works_from_the_database(client, settings, committed, every_request_checks, caplog):
    settings.REDIS_URL = NOBODY_LISTENS

    with committed():  # announcing on Redis fails; the change still happens
        switch_on("full")
    assert client.get("/").status_code == 503
    assert client.get("/").status_code == 503  # the channel is down: the version comes from the database
    with committed():
        switch_off()
    assert client.get("/").status_code == 200

    assert "maintenance version unreadable from Redis" in caplog.text
    assert "could not announce maintenance version" in caplog.text


def test_with_redis_unreachable_a_change_made_elsewhere_is_seen_through_the_database(client, settings,
                                                                                      every_request_checks):
    settings.REDIS_URL = NOBODY_LISTENS
    assert client.get("/").status_code == 200

    closed_elsewhere(version=41)

    assert client.get("/").status_code == 503


def test_in_embedded_mode_announce_writes_the_stamp_file(settings, embedded):
    channel.announce(7)

    assert channel.stamp_path() == settings.VAR_DIR / "maintenance" / "version"
    assert channel.stamp_path().read_text() == "7"
    assert channel.cheap_version() == 7


def test_in_embedded_mode_a_change_by_another_process_is_seen_at_the_next_check(client, embedded, every_request_checks):
    assert client.get("/").status_code == 200

    closed_elsewhere(version=5)
    still_open = client.get("/").status_code  # the stamp has not moved: no database read per request
    channel.announce(5)

    assert still_open == 200
    assert client.get("/").status_code == 503


def test_with_the_database_down_during_a_refresh_the_last_snapshot_is_kept(client, committed, monkeypatch, caplog,
                                                                           every_request_checks):
    with committed():
        switch_on("full", public_reason="Database upgrade")
    assert client.get("/").status_code == 503

    def database_down(at):
        raise OperationalError("could not connect to server")

    real_load_closures = snapshot.load_closures
    monkeypatch.setattr(snapshot, "load_closures", database_down)
    with committed():
        switch_off()
    response = client.get("/")

    assert response.status_code == 503
    assert "Database upgrade" in response.content.decode()
    assert "maintenance snapshot refresh failed" in caplog.text

    monkeypatch.setattr(snapshot, "load_closures", real_load_closures)
    assert client.get("/").status_code == 200  # the database is back: the next look catches up


def test_nothing_escapes_when_every_channel_is_down(client, settings, monkeypatch, every_request_checks):
    settings.REDIS_URL = NOBODY_LISTENS
    assert client.get("/healthz").status_code == 200

    def down(*args, **kwargs):
        raise OperationalError("database is gone")

    monkeypatch.setattr(channel, "database_version", down)
    monkeypatch.setattr(snapshot, "load_closures", down)

    assert [client.get(path).status_code for path in ("/healthz", "/status.json", "/healthz")] == [200, 200, 200]


def test_the_page_is_written_for_every_language_when_the_state_changes(client, settings):
    switch_on("full", reason=INTERNAL_REASON, public_reason="数据库升级 Database upgrade")

    client.get("/")

    folder = settings.VAR_DIR / "maintenance"
    english, chinese = (folder / "en.html").read_text(), (folder / "zh-hans.html").read_text()
    assert '<html lang="en">' in english
    assert '<html lang="zh-hans">' in chinese
    assert "数据库升级 Database upgrade" in english
    assert "数据库升级 Database upgrade" in chinese
    assert INTERNAL_REASON not in english + chinese


def test_the_page_is_rewritten_when_the_state_changes_again(client, settings):
    switch_on("full", public_reason="First reason")
    client.get("/")
    switch_on("full", public_reason="Second reason")

    client.get("/")

    page = (settings.VAR_DIR / "maintenance" / "en.html").read_text()
    assert "Second reason" in page
    assert "First reason" not in page
