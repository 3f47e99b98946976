"""In a real browser the Content-Security-Policy holds: a script or an on… handler injected into a page
does not run (and is reported, which is how every browser test fails on a violation), while our own
scripts do — here the maintenance page's countdown in the buyer's zone."""

import re
from datetime import timedelta

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.core import clock
from yongxu.maintenance import services

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = 'script ran'";
  document.body.appendChild(script);
  document.body.insertAdjacentHTML("beforeend", '<button id="trap" onclick="window.injected = \\'handler ran\\'">x</button>');
}"""


def test_an_injected_script_or_handler_does_not_run(live_shop):
    with chromium_page() as page:
        page.goto(live_shop + "/")
        page.evaluate(INJECT)
        page.click("#trap")
        page.wait_for_timeout(300)
        injected = page.evaluate("window.injected === undefined")
        blocked = list(page.csp_violations)
        page.csp_violations.clear()  # expected here: the block must not fail this test

    assert injected is True
    assert len([line for line in blocked if "CSP violation: script-src-elem blocked inline" in line]) == 1
    assert len([line for line in blocked if "CSP violation: script-src-attr blocked inline" in line]) == 1


def test_the_maintenance_page_counts_down_with_its_own_script(live_shop):
    from playwright.sync_api import expect

    services.close_capabilities([], source="manual", level="full", reason="upgrade", actor="test:operator",
                                until=clock.now() + timedelta(minutes=90), public_reason="Upgrading the database")

    with chromium_page() as page:
        response = page.goto(live_shop + "/")
        countdown = page.locator("#countdown")
        expect(countdown).to_have_text(re.compile(r"^1h 29m \d+s left$"))
        first = countdown.text_content()
        expect(countdown).not_to_have_text(first, timeout=5_000)  # it counts
        zone = page.locator("#zone").text_content()

    assert response.status == 503
    assert zone == "Asia/Shanghai"
