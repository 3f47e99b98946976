from decimal import Decimal

import pytest

from yongxu.conftest import make_product
from yongxu.coupons.tests.conftest import make_coupon

pytestmark = pytest.mark.django_db


def test_the_quote_shows_exactly_what_will_be_charged(client):
    product = make_product(keys=3, price=Decimal("9.99"))
    make_coupon("SAVE10")

    response = client.get(f"/p/{product.slug}/quote/", {"quantity": "2", "coupon": "save10"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "19.98 CNY" in text
    assert "−2.00 CNY" in text
    assert "17.98 CNY" in text


def test_a_refused_coupon_is_said_and_the_full_price_shown(client):
    product = make_product(keys=3, price=Decimal("9.99"))

    response = client.get(f"/p/{product.slug}/quote/", {"quantity": "1", "coupon": "NOPE"})

    text = response.content.decode()
    assert "We do not know this coupon code." in text
    assert "9.99 CNY" in text


def test_the_staff_issue_a_batch_from_the_admin(client, operator):
    client.force_login(operator)

    response = client.post("/admin/coupons/coupon/issue/", {
        "emails": "a@example.com\nb@example.com, c@example.com", "kind": "fixed", "value": "5",
        "currency": "cny", "valid_until": "2099-01-01 00:00", "batch": "sorry"}, follow=True)

    assert "Issued 3 single-use coupons." in response.content.decode()


def test_a_bad_address_in_the_batch_is_refused(client, operator):
    client.force_login(operator)

    response = client.post("/admin/coupons/coupon/issue/", {
        "emails": "a@example.com\nnot-an-address", "kind": "fixed", "value": "5", "valid_until": "2099-01-01 00:00"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
