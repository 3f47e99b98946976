"""A buyer in a real browser (Debian's Chromium, driven by Playwright): signs up, opens the link from the
verification e-mail, signs in, buys through the demo gateway and finds the order under "My orders"."""

import pytest
from django.core import mail

from yongxu.accounts.models import BuyerProfile
from yongxu.accounts.tests.conftest import PASSWORD, links_in, path_of
from yongxu.browser import chromium_missing, chromium_page
from yongxu.conftest import make_product
from yongxu.orders.models import Order, OrderStatus

pytestmark = [pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or ""),
              pytest.mark.django_db(transaction=True)]



def test_a_signed_in_buyer_finds_the_order_under_my_orders(live_shop, tmp_path):
    make_product(keys=3, name="Steam 50", max_quantity=2)

    with chromium_page() as page:
        page.goto(live_shop + "/")
        page.get_by_role("link", name="Sign in").click()
        page.get_by_role("link", name="Create one").click()
        page.get_by_label("E-mail").fill("Ann@Example.com")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Password (again)").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        page.get_by_role("heading", name="Check your inbox").wait_for()

        [message] = mail.outbox
        [link] = links_in(message)
        page.goto(live_shop + path_of(link))
        assert "Your e-mail address is verified." in page.get_by_role("status").inner_text()

        page.get_by_label("E-mail").fill("ann@example.com")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        assert "The e-mail address or the password is wrong." in page.get_by_role("alert").inner_text()
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="My orders").wait_for()
        assert "No orders yet." in page.content()

        page.get_by_role("link", name="Shop", exact=True).click()
        page.get_by_role("link", name="Steam 50").click()
        page.get_by_label("Quantity").fill("1")
        page.get_by_label("E-mail (your keys are sent here)").fill("ann@example.com")
        page.get_by_role("button", name="Buy now").click()
        page.get_by_role("button", name="Pay 9.99 CNY").click()
        page.get_by_text("Your keys").wait_for()
        order_url = page.url

        page.get_by_role("link", name="My orders").click()
        page.get_by_role("heading", name="My orders").wait_for()
        rows = page.locator("table.orders-table tbody tr")
        row_texts = rows.all_inner_texts()
        page.screenshot(path=str(tmp_path / "my-orders.png"), full_page=True)
        rows.first.get_by_role("link").click()
        page.wait_for_url(order_url)

        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("link", name="Sign in").wait_for()

    # The database is read after the browser is gone: Playwright's greenlet would get a connection of its own.
    order = Order.objects.get()
    assert order_url == f"{live_shop}/o/{order.token}/"
    assert BuyerProfile.objects.get().email_verified_at is not None
    assert (order.status, order.user.username, order.email) == (OrderStatus.DELIVERED, "ann@example.com",
                                                               "ann@example.com")
    [row] = row_texts
    assert row.split("\t")[:4] == [order.number, "Steam 50 × 1", "9.99 CNY", "Delivered"]
