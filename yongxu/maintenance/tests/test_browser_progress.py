"""A buyer's browser (Debian's Chromium, driven by Playwright) shows the maintenance page; when the
operator reports progress, its progress bar and steps move without a reload."""

import threading

import pytest
from django.db import connections

from yongxu.browser import chromium_missing, chromium_page
from yongxu.maintenance import services
from yongxu.maintenance.tests.conftest import OPERATOR

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


def from_another_process(change) -> None:
    """The operator's command runs elsewhere (here: a thread with its own database connection, closed
    after; Playwright's event loop in this thread would otherwise hold a connection of its own)."""
    def run():
        try:
            change()
        finally:
            connections.close_all()

    worker = threading.Thread(target=run, name="operator")
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()


@pytest.fixture
def shop(live_server, settings, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SITE_URL = live_server.url
    return live_server.url


def test_the_progress_bar_moves_without_a_reload(shop):
    from playwright.sync_api import expect

    services.close_capabilities([], source="manual", level="full", reason="db upgrade", until=None, actor=OPERATOR,
                                public_reason="Upgrading the database", steps=["backup", "migrate", "verify"])

    with chromium_page() as page:
        response = page.goto(shop + "/")
        bar = page.get_by_role("progressbar")
        assert response.status == 503
        expect(bar).to_have_attribute("aria-valuenow", "0")
        expect(page.locator("#steps li")).to_have_text(["backup", "migrate", "verify"])
        page.evaluate("window.loadedOnce = true")  # gone if the page reloads

        from_another_process(lambda: services.report_progress(60, actor=OPERATOR, step="backup", note="Backup taken"))

        expect(bar).to_have_attribute("aria-valuenow", "60", timeout=10_000)
        expect(page.locator("#steps li.done")).to_have_text(["backup"])
        expect(page.locator("#note")).to_have_text("Backup taken")
        assert page.evaluate("window.loadedOnce") is True
