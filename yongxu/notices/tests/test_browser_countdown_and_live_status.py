"""In a real browser: the banner counts down to an upcoming window, and the status page shows an
operator's update without a reload."""

from datetime import timedelta

import pytest

from yongxu.browser import chromium_missing, chromium_page, from_another_process
from yongxu.core import clock
from yongxu.maintenance import windows
from yongxu.notices.tests.conftest import OPERATOR, schedule

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]




def test_the_banner_counts_down_and_the_status_page_updates_live(live_shop):
    from playwright.sync_api import expect

    window = schedule(starts_in=timedelta(hours=2), title="Key store upgrade")
    assert window.planned_start > clock.now()

    with chromium_page() as page:
        page.goto(live_shop + "/")
        countdown = page.locator(".banner.upcoming .countdown")
        expect(page.locator(".banner.upcoming")).to_have_attribute("data-prominence", "day")
        first = countdown.text_content()
        expect(countdown).not_to_have_text(first, timeout=5_000)  # it counts

        page.goto(live_shop + "/status/")
        expect(page.locator("#status-live")).to_contain_text("Key store upgrade")
        page.evaluate("window.loadedOnce = true")

        from_another_process(lambda: windows.update_window(window, actor=OPERATOR, note="Backups verified"))

        expect(page.locator("#status-live")).to_contain_text("Backups verified", timeout=15_000)
        assert page.evaluate("window.loadedOnce") is True
