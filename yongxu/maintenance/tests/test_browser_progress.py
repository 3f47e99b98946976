"""A buyer's browser (Debian's Chromium, driven by Playwright) shows the maintenance page; when the
operator reports progress, its progress bar and steps move without a reload."""


import pytest

from yongxu.browser import chromium_missing, chromium_page, from_another_process
from yongxu.maintenance import services
from yongxu.maintenance.tests.conftest import OPERATOR

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]




def test_the_progress_bar_moves_without_a_reload(live_shop):
    from playwright.sync_api import expect

    services.close_capabilities([], source="manual", level="full", reason="db upgrade", until=None, actor=OPERATOR,
                                public_reason="Upgrading the database", steps=["backup", "migrate", "verify"])

    with chromium_page() as page:
        response = page.goto(live_shop + "/")
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
