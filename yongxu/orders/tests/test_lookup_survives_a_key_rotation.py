"""Lookup fingerprints are keyed with SECRET_KEY: after a rotation that keeps the old key in
SECRET_KEY_FALLBACKS, orders fingerprinted under the old key are still found."""

import pytest

from yongxu.orders.services import find_orders
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


def test_the_old_key_still_finds_the_order(product, settings):
    settings.SECRET_KEY = "the-old-key-" + "x" * 40
    order = place(product, email="ann@example.com", query_password="open sesame")

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-key-" + "y" * 40
    found = find_orders(email="ann@example.com", query_password="open sesame")
    settings.SECRET_KEY_FALLBACKS = []
    lost = find_orders(email="ann@example.com", query_password="open sesame")

    assert found == [order]
    assert lost == []
