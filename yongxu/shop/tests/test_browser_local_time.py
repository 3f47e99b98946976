"""In a real browser (Debian's Chromium, driven by Playwright) in Shanghai: the order page says when to
pay in the buyer's own time zone, named, not in the server's UTC, also after the card refreshes itself."""

from zoneinfo import ZoneInfo

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.conftest import make_product
from yongxu.orders.tests.factories import place

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(live_server, settings, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SITE_URL = live_server.url
    return live_server.url



def test_the_pay_before_time_is_shown_in_the_buyers_zone(shop):
    order = place(make_product(keys=3, name="Steam 50"), language="zh-hans")

    with chromium_page(locale="zh-CN", timezone_id="Asia/Shanghai") as page:
        page.goto(f"{shop}/o/{order.token}/")
        deadline = page.locator("#order-status time.local-time")
        line = deadline.locator("xpath=..")
        assert "前完成支付，在此之前卡密为您保留。" in line.inner_text()
        shown = deadline.inner_text()

    assert order.expires_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M") in shown
    assert "(Asia/Shanghai)" in shown
    assert "UTC" not in shown


def test_the_time_stays_in_the_buyers_zone_after_the_card_refreshes_itself(shop):
    order = place(make_product(keys=3, name="Steam 50"), language="zh-hans")

    with chromium_page(locale="zh-CN", timezone_id="Asia/Shanghai") as page:
        page.goto(f"{shop}/o/{order.token}/")

        # htmx swaps the status card every 4 s; the new card's time is converted too.
        page.locator("#order-status time.local-time").get_by_text("Asia/Shanghai").wait_for()
        page.evaluate("document.getElementById('order-status').dataset.old = '1'")
        page.wait_for_function("""() => {
            const card = document.getElementById('order-status');
            return card && !card.dataset.old && card.querySelector('time.local-time').textContent.includes('(Asia/Shanghai)');
        }""")
