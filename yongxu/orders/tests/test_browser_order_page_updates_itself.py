"""In a real browser, under the Content-Security-Policy: an unpaid order's page polls with htmx, and when
the gateway's notification arrives (another process) the keys appear without a reload."""

import pytest

from yongxu.browser import chromium_missing, chromium_page, from_another_process
from yongxu.conftest import make_product
from yongxu.orders.tests.factories import pay, place

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


def test_the_keys_appear_when_the_payment_lands(live_shop):
    from playwright.sync_api import expect

    product = make_product(keys=1, name="Netflix 1 month")
    order = place(product)

    with chromium_page() as page:
        page.goto(f"{live_shop}/o/{order.token}/")
        expect(page.get_by_role("button", name="Pay now")).to_be_visible()
        page.evaluate("window.loadedOnce = true")  # gone if the page reloads

        from_another_process(lambda: pay(order))

        expect(page.locator("ol.keys li")).to_have_text([f"KEY-{product.pk}-00000"], timeout=15_000)
        assert page.evaluate("window.loadedOnce") is True
