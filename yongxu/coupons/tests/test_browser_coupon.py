"""In a real browser, a coupon typed on the product page lowers what will be charged, and the
gateway is asked for exactly that amount."""

from decimal import Decimal

import pytest

from yongxu.browser import chromium_missing, chromium_page
from yongxu.conftest import make_product
from yongxu.coupons.tests.conftest import make_coupon
from yongxu.orders.models import Order
from yongxu.payments.models import Payment

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]


def test_a_coupon_lowers_the_charged_amount(live_shop):
    product = make_product(keys=3, name="Coupon Card", price=Decimal("20.00"))
    make_coupon("WELCOME10")

    with chromium_page() as page:
        page.goto(f"{live_shop}/p/{product.slug}/")
        page.get_by_label("E-mail (your keys are sent here)").fill("buyer@example.com")
        page.get_by_label("Coupon code (optional)").fill("welcome10")
        page.locator("#quote").get_by_text("18.00 CNY").wait_for()
        page.get_by_role("button", name="Buy now").click()
        page.get_by_role("button", name="Pay 18.00 CNY").wait_for()

    order = Order.objects.get()
    assert (order.subtotal, order.discount, order.amount) == (Decimal("20.00"), Decimal("2.00"), Decimal("18.00"))
    assert Payment.objects.get(order=order).amount == Decimal("18.00")
