"""A guest who bought earlier finds the order again in a real browser: by number and e-mail, and
from "orders on this device"."""

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.conftest import make_product
from yongxu.orders.tests.factories import pay, place

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


def test_a_guest_looks_the_order_up_again(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    product = make_product(keys=2, name="Lookup Card")
    order = place(product, email="guest@example.com")
    pay(order)
    number, key = order.number, f"KEY-{product.pk}-00000"

    with chromium_page() as page:
        page.goto(live_server.url + "/lookup/")
        page.get_by_label("E-mail used for the order").fill("guest@example.com")
        page.get_by_label("Order number").fill(number.lower())
        page.get_by_role("button", name="Find").click()
        page.get_by_role("link", name=number).click()
        shown = page.locator("ol.keys li").all_inner_texts()
        page.goto(live_server.url + "/lookup/")
        on_device = page.get_by_role("heading", name="Orders on this device").is_visible()

    assert shown == [key]
    assert on_device is True
