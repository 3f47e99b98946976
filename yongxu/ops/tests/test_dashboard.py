"""The merchant's dashboard: today's orders and revenue, stock, alerts; staff only."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from yongxu.conftest import make_product
from yongxu.orders.tests.factories import pay, place

pytestmark = pytest.mark.django_db

NOON = "2026-03-10 12:00:00+00:00"


@time_machine.travel(NOON, tick=False)
def test_staff_see_todays_figures(client, merchant):
    product = make_product(keys=10, low_stock_threshold=20)
    with time_machine.travel(timedelta(days=-1), tick=False):
        pay(place(product, quantity=3))  # yesterday: not today's
    pay(place(product, quantity=2))
    place(product, quantity=1)
    client.force_login(merchant)

    response = client.get(reverse("dashboard"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Orders placed: <strong>2</strong> · paid: <strong>1</strong>" in page
    assert "<strong>19.98 CNY</strong> (1)" in page
    assert f"Low stock · {product.name}: 7 keys left (threshold 20)." in page
    assert '<td style="color:#b91c1c;font-weight:bold">4</td>' in page  # 10 − 3 sold − 2 sold − 1 reserved


@time_machine.travel(NOON, tick=False)
def test_a_quiet_day_says_so(client, merchant):
    client.force_login(merchant)

    page = client.get(reverse("dashboard")).content.decode()

    assert "Orders placed: <strong>0</strong> · paid: <strong>0</strong>" in page
    assert "none yet" in page
    assert "Nothing waiting." in page


@pytest.mark.parametrize("who", ["outsider", None])
def test_others_are_sent_to_the_login_page(client, outsider, who):
    if who:
        client.force_login(outsider)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={reverse('dashboard')}"
