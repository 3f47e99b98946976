"""A buyer in a real browser (Debian's Chromium, driven by Playwright): picks a product, types a bad
quantity and is told plainly, then pays at the demo gateway and reads the keys on the order page."""

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.conftest import make_product
from yongxu.inventory.models import CardKey, KeyStatus
from yongxu.orders.models import Order, OrderStatus

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]



def test_a_buyer_pays_at_the_gateway_and_reads_the_keys(live_shop, tmp_path):
    product = make_product(keys=3, name="Steam 50", max_quantity=2)

    with chromium_page() as page:
        page.goto(live_shop + "/")
        page.get_by_role("link", name="Steam 50").click()
        page.get_by_label("Quantity").fill("3")
        page.get_by_label("E-mail (your keys are sent here)").fill("buyer@example.com")
        page.evaluate("document.querySelector('#quantity').removeAttribute('max')")
        page.get_by_role("button", name="Buy now").click()

        assert "No order was placed and nothing was charged." in page.get_by_role("alert").inner_text()
        assert page.get_by_label("E-mail (your keys are sent here)").input_value() == "buyer@example.com"

        page.get_by_label("Quantity").fill("2")
        page.get_by_role("button", name="Buy now").click()
        page.get_by_role("button", name="Pay 19.98 CNY").click()
        page.get_by_text("Your keys").wait_for()
        shown = page.locator("ol.keys li").all_inner_texts()
        page.screenshot(path=str(tmp_path / "order.png"), full_page=True)

    order = Order.objects.get()  # the refused attempt left no order behind
    assert order.status == OrderStatus.DELIVERED
    sold = sorted(CardKey.objects.filter(order=order, status=KeyStatus.SOLD).values_list("id", flat=True))
    assert len(sold) == 2
    assert sorted(shown) == [f"KEY-{product.pk}-00000", f"KEY-{product.pk}-00001"]


def test_the_shop_window_works_on_a_phone(live_shop):
    make_product(keys=0, name="Gift Card 100")

    with chromium_page(mobile=True) as page:
        page.goto(live_shop + "/")
        badge = page.get_by_text("Sold out", exact=True)

        assert badge.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
