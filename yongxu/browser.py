"""Debian's Chromium driven by Playwright, for the browser tests (no browser download of its own).

Keep ORM calls outside ``with chromium_page()``: inside it Playwright's event loop runs in the test's
thread, Django then opens a separate connection for that context and nobody closes it, and
PostgreSQL refuses to drop the test database at the end of the run."""

import os
import shutil
import threading
from contextlib import contextmanager

CHROMIUM = os.environ.get("YONGXU_CHROMIUM", "/usr/bin/chromium")
# This machine has no network but loopback: keep Chromium from calling home at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def chromium_missing() -> str | None:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        return f"needs Debian's chromium at {CHROMIUM} (.ci/run installs it)"
    return None


# Every frame reports what the Content-Security-Policy blocked; Chromium also logs it as a console error.
_REPORT_CSP = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " +
                e.sourceFile + ":" + e.lineNumber);
});"""


@contextmanager
def chromium_page(*, locale: str = "en-US", timezone_id: str = "Asia/Shanghai", mobile: bool = False):
    """A page in a fresh browser. Leaving the block normally fails the test if any page it showed broke
    the Content-Security-Policy (``page.csp_violations`` lists them as they come)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            viewport = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
            context = browser.new_context(locale=locale, timezone_id=timezone_id, viewport=viewport)
            context.add_init_script(_REPORT_CSP)
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.csp_violations = []
            page.on("console", lambda message: page.csp_violations.append(f"{message.location.get('url')}: "
                                                                          f"{message.text}")
                    if "Content Security Policy" in message.text or "CSP violation" in message.text else None)
            yield page
            assert page.csp_violations == [], "the Content-Security-Policy blocked something"
        finally:
            browser.close()


def from_another_process(change) -> None:
    """Run ``change`` (an operator's command) the way another process would: in a thread with its own
    database connection, closed after — Playwright's event loop in the test's thread would otherwise hold
    a connection of its own."""
    from django.db import connections

    def run():
        try:
            change()
        finally:
            connections.close_all()

    worker = threading.Thread(target=run, name="operator")
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the operator's change did not finish"
