"""In a real browser, past the client's order limit, pow.js solves the shop's challenge (at the
default difficulty) and sends the form by itself: the buyer lands at the gateway with the order placed."""

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.conftest import make_product
from yongxu.orders.models import Order

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


def test_the_browser_solves_the_check_and_the_order_goes_through(live_shop, settings):
    settings.YONGXU_ORDERS_PER_CLIENT = 1
    settings.YONGXU_ORDER_LIMIT_WINDOW_SECONDS = 10**6  # no window ends during the test
    make_product(keys=3, name="Steam 50", slug="steam-50")

    with chromium_page(mobile=True) as page:
        answers = []
        page.on("response", lambda r: answers.append(r.status) if r.url.endswith("/buy/") else None)
        for _ in range(2):
            page.goto(live_shop + "/p/steam-50/")
            page.get_by_label("E-mail (your keys are sent here)").fill("buyer@example.com")
            page.get_by_role("button", name="Buy now").click()
            page.wait_for_url("**/simulator/**")

    assert answers == [302, 429, 302]  # the second buy was asked for the check, and passed it
    assert Order.objects.count() == 2
