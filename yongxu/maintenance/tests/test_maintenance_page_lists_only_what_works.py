"""The maintenance page offers only what really works in the current state and names what is paused:
it never promises delivery while delivery is closed, nor a lookup or support link that is closed."""

import pytest

from yongxu.maintenance import page, services
from yongxu.maintenance.snapshot import current_state
from yongxu.maintenance.tests.conftest import OPERATOR

pytestmark = pytest.mark.django_db
DELIVERED = "Paid orders are delivered at once, on the order page and by e-mail."
KEPT = "Paid orders are kept and their keys delivered as soon as delivery is back."


def rendered(level: str, modules=()) -> str:
    services.close_capabilities(list(modules), source="manual", reason="x", until=None, actor=OPERATOR, level=level)
    return page.render(current_state(), "en")


def section(html: str, css_class: str) -> str:
    return html.split(f'<ul class="{css_class}">', 1)[1].split("</ul>", 1)[0] if f'<ul class="{css_class}">' in html else ""


def test_full_maintenance_promises_no_delivery_and_keeps_lookup_and_support():
    html = rendered("full")

    working, paused = section(html, "working"), section(html, "paused")
    assert DELIVERED not in html and "Payments already made are received and applied." in working
    assert '<a href="/lookup/">Find my order</a>' in working and '<a href="/support/">Contact support</a>' in working
    assert '<a href="/">Browse the shop</a>' not in working
    assert "<li>Key delivery</li>" in paused and "<li>New orders</li>" in paused and KEPT in paused


def test_delivery_closed_alone_says_so_and_offers_the_rest():
    html = rendered("modules", ["delivery"])

    working, paused = section(html, "working"), section(html, "paused")
    assert DELIVERED not in html and KEPT in paused
    assert "New orders and payments" in working and '<a href="/">Browse the shop</a>' in working


def test_lookup_and_support_closed_by_name_are_not_offered():
    html = rendered("full", ["lookup", "support"])

    assert 'href="/lookup/"' not in html and 'href="/support/"' not in html
    assert "<li>Order lookup</li>" in section(html, "paused") and "<li>Support</li>" in section(html, "paused")
    assert '<a href="/status/">Status page</a>' in section(html, "working")


def test_payments_closed_keeps_delivery_promised():
    html = rendered("modules", ["payment"])

    assert DELIVERED in section(html, "working") and "New orders and payments" not in html
    assert "<li>Payments</li>" in section(html, "paused") and KEPT not in html
