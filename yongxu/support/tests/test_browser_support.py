"""A buyer in a real browser (Debian's Chromium, driven by Playwright) opens a ticket from the header's
Support link, is told plainly about a mistake, then lands on the conversation and sees the message."""

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.support.models import Ticket

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(live_server, settings, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SITE_URL = live_server.url
    return live_server.url


def test_a_buyer_opens_a_ticket_and_reads_the_conversation(shop, tmp_path):
    with chromium_page() as page:
        page.goto(shop + "/")
        page.get_by_role("link", name="Support", exact=True).click()
        page.get_by_label("Subject").fill("My key does not work")
        page.get_by_label("Message").fill("The shop says the code was already used.")
        page.get_by_label("Your e-mail").fill("not-an-email")
        page.get_by_role("button", name="Send to support").click()

        assert "No ticket was opened yet." in page.get_by_role("alert").inner_text()
        assert page.get_by_label("Message").input_value() == "The shop says the code was already used."

        page.get_by_label("Your e-mail").fill("buyer@example.com")
        page.get_by_role("button", name="Send to support").click()
        page.get_by_role("heading", name="Conversation").wait_for()
        page.screenshot(path=str(tmp_path / "ticket.png"), full_page=True)
        url, title = page.url, page.get_by_role("heading", level=1).inner_text()
        conversation = page.locator("ol.conversation").inner_text()
        notice = page.get_by_role("status").inner_text()

    ticket = Ticket.objects.get()
    assert url == f"{shop}/support/t/{ticket.token}/"
    assert title == "My key does not work"
    assert "The shop says the code was already used." in conversation
    assert ticket.number in notice
