"""In a real browser (Debian's Chromium, driven by Playwright) set to Chinese: the shop opens in Chinese,
and the footer's language switcher turns it to English and back."""

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.conftest import make_product

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(live_server, settings, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SITE_URL = live_server.url
    return live_server.url


def test_a_chinese_browser_switches_to_english_and_back(shop):
    make_product(keys=3, name="Steam 50")

    with chromium_page(locale="zh-CN") as page:
        page.goto(shop + "/")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.get_by_role("link", name="查询订单").is_visible()
        assert "付款后自动发货，卡密即时送达。" in page.locator("footer").inner_text()

        page.get_by_label("语言").select_option("en")
        page.get_by_role("link", name="Find my order").wait_for()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.url == shop + "/"

        page.get_by_role("link", name="Steam 50").click()
        page.get_by_role("button", name="Buy now").wait_for()
        page.get_by_label("Language").select_option("zh-hans")
        page.get_by_role("button", name="立即购买").wait_for()
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.get_by_label("邮箱（卡密将发送到此邮箱）").is_visible()
