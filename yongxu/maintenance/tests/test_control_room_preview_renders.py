"""The control room's live preview of the buyers' maintenance page renders: its HTML is escaped into
the iframe's ``srcdoc`` (quotes included), so the attribute holds the whole page, and a browser
shows it in the frame instead of a blank box."""

from html.parser import HTMLParser

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.maintenance.tests.conftest import switch_on


class Frames(HTMLParser):
    def __init__(self):
        super().__init__()
        self.srcdocs = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.srcdocs.append(dict(attrs).get("srcdoc", ""))


@pytest.mark.django_db
def test_the_srcdoc_attribute_holds_the_whole_page(client, operator):
    switch_on("full", public_reason='Upgrading the "orders" database')
    client.force_login(operator)
    parser = Frames()

    parser.feed(client.get("/admin/maintenance/").content.decode())

    [srcdoc] = parser.srcdocs
    assert srcdoc.startswith("<!doctype html>") and srcdoc.rstrip().endswith("</html>")
    assert "<h1>We are doing some maintenance</h1>" in srcdoc and "Upgrading the &quot;orders&quot; database" in srcdoc


@pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or "")
@pytest.mark.django_db(transaction=True)
def test_a_browser_shows_the_preview(live_shop, client, operator):
    from playwright.sync_api import expect

    client.force_login(operator)
    session = client.cookies["sessionid"].value

    with chromium_page() as page:
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_shop}])
        page.goto(live_shop + "/admin/maintenance/")
        frame = page.frame_locator("iframe[title='Preview of the maintenance page']")

        expect(frame.locator("h1")).to_have_text("We are doing some maintenance")
        expect(frame.get_by_role("link", name="Find my order")).to_be_visible()
