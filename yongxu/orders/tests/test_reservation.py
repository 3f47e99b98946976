"""Placing an order reserves its keys until the payment deadline."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import check_password

from yongxu.audit.models import AuditEntry
from yongxu.inventory.models import CardKey, KeyStatus
from yongxu.inventory.services import available_count
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import delivered_items
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


def test_an_order_takes_its_keys_out_of_stock(product, buyer_email):
    order = place(product, email=buyer_email, quantity=2)

    assert available_count(product) == 3
    reserved = CardKey.objects.filter(order=order)
    assert [key.status for key in reserved] == [KeyStatus.RESERVED, KeyStatus.RESERVED]
    assert delivered_items(order) == []


def test_an_order_records_price_deadline_and_status(product, buyer_email, settings):
    order = place(product, email=buyer_email, quantity=2)

    assert order.status == OrderStatus.PENDING
    assert (order.unit_price, order.amount, order.currency) == (Decimal("9.99"), Decimal("19.98"), "CNY")
    assert order.product_name == product.name
    assert order.expires_at - order.created_at == timedelta(minutes=settings.YONGXU_ORDER_TIMEOUT_MINUTES)


def test_the_query_password_is_stored_hashed(product, buyer_email):
    order = place(product, email=buyer_email, query_password="open sesame")

    assert order.has_query_password
    assert "open sesame" not in order.query_password
    assert check_password("open sesame", order.query_password)


def test_placing_an_order_is_audited(product, buyer_email):
    order = place(product, email=buyer_email, quantity=2)

    entry = AuditEntry.objects.get(action="order.placed")
    assert (entry.actor, entry.subject_id) == (f"buyer:{buyer_email}", str(order.pk))
    expected = {"product": product.pk, "quantity": 2, "amount": "19.98", "currency": "CNY"}
    assert {name: entry.data.get(name) for name in expected} == expected
