"""The Atom feed parses with feedparser: one entry per window update, newest first."""

from datetime import timedelta

import feedparser
import pytest

from yongxu.maintenance import windows
from yongxu.maintenance.models import WindowUpdate
from yongxu.notices.tests.conftest import OPERATOR, schedule

pytestmark = pytest.mark.django_db


def test_one_entry_per_update(client, frozen):
    window = schedule(starts_in=timedelta(hours=30), title="Database upgrade")
    frozen.shift(timedelta(minutes=5))
    windows.update_window(window, actor=OPERATOR, note="Backups verified")

    response = client.get("/status/feed.atom")
    feed = feedparser.parse(response.content)

    assert response["Content-Type"].startswith("application/atom+xml")
    assert not feed.bozo
    assert len(feed.entries) == WindowUpdate.objects.count() == 2
    assert feed.entries[0].title == "Update: Database upgrade"
    assert "Backups verified" in feed.entries[0].summary
    assert feed.entries[1].title == "Scheduled: Database upgrade"
    assert len({entry.id for entry in feed.entries}) == 2
