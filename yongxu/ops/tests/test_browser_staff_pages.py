"""Staff pages in a real browser, under the Content-Security-Policy (chromium_page fails the test on any
violation): sign-in, the admin index, the control room with its preview, the advisor, a window's page
whose "Cancel window" asks first, the e-mail previews in their frame, and the API's documentation."""

from datetime import timedelta

import pytest

from yongxu.browser import chromium_missing, chromium_page, from_another_process
from yongxu.core import clock
from yongxu.maintenance import windows
from yongxu.maintenance.models import MaintenanceWindow, Phase

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


def sign_in(page, live_shop):
    page.goto(f"{live_shop}/admin/login/")
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill("pw-operator")
    page.get_by_role("button", name="Log in").click()


def test_the_back_office_pages_work(live_shop, operator):
    from playwright.sync_api import expect

    start = clock.now() + timedelta(days=2)
    window = windows.schedule_window(title="Key store upgrade", start=start, end=start + timedelta(hours=1),
                                     level="readonly", actor="test:operator")

    with chromium_page() as page:
        sign_in(page, live_shop)
        expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

        page.goto(f"{live_shop}/admin/maintenance/")
        expect(page.get_by_role("heading", name="What a buyer sees")).to_be_visible()
        expect(page.locator("iframe[title='Preview of the maintenance page']")).to_be_visible()

        page.goto(f"{live_shop}/admin/advisor/")
        expect(page.locator("#content")).to_be_visible()

        page.goto(f"{live_shop}/admin/emails/?name=keys+delivered&lang=en")
        preview = page.frame_locator("iframe[title='HTML version']")
        expect(preview.get_by_text("Your keys:")).to_be_visible()

        page.goto(f"{live_shop}/api/v1/docs")
        expect(page.locator("#swagger-ui .info .title")).to_contain_text("Yongxu API", timeout=20_000)

        page.goto(f"{live_shop}/admin/maintenance/maintenancewindow/{window.pk}/change/")
        questions = []
        page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
        page.get_by_role("button", name="Cancel window").click()
        page.wait_for_timeout(200)
        dismissed = {}
        from_another_process(lambda: dismissed.update(phase=MaintenanceWindow.objects.get(pk=window.pk).phase))
        page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
        page.get_by_role("button", name="Cancel window").click()
        page.wait_for_load_state()

    assert questions == ["Cancel this window?", "Cancel this window?"]
    assert dismissed == {"phase": Phase.PREPARE}
    assert MaintenanceWindow.objects.get(pk=window.pk).phase == Phase.CANCELLED
