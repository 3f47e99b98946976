"""In a real browser, under the shop's Content-Security-Policy: a buyer picks a QR gateway (Alipay,
simulated), gets the pay page with its QR code, "scans" it (the simulator's page in another tab), pays,
and the pay page, polling with htmx, takes them to the order page with the key."""

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.conftest import make_product
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.tests.simulated import point_at_simulator

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


def test_the_qr_pay_page_follows_the_payment_to_the_keys(live_shop, settings):
    from playwright.sync_api import expect

    point_at_simulator(settings, live_shop, "alipay")
    product = make_product(keys=2, name="Gift Card 30")

    with chromium_page() as page:
        page.goto(f"{live_shop}/p/{product.slug}/")
        page.get_by_label("E-mail (your keys are sent here)").fill("buyer@example.com")
        page.get_by_label("支付宝 Alipay (simulated)").check()
        page.get_by_role("button", name="Buy now").click()
        expect(page.locator(".pay-qr svg")).to_be_visible()
        with page.context.expect_page() as scanned:
            page.locator("#simulated-scan").click()
        phone = scanned.value
        phone.get_by_role("button", name="Pay 9.99").click()
        phone.close()

        page.get_by_text("Your keys").wait_for(timeout=20_000)
        shown = page.locator("ol.keys li").all_inner_texts()
        at = page.url

    order = Order.objects.get()
    assert order.status == OrderStatus.DELIVERED
    assert at == f"{live_shop}/o/{order.token}/"
    assert shown == [f"KEY-{product.pk}-00000"]
