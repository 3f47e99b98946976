"""Orders placed before lookup fingerprints existed (the migration leaves theirs empty) are still found
by e-mail + query password; the first successful lookup gives them their fingerprint, and from then on
a lookup is one hash check again."""

import pytest

from yongxu.orders.models import Order
from yongxu.orders.services import find_orders, lookup_fingerprint
from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


def test_old_orders_are_found_and_upgraded(product, counting_hasher):
    other = place(product, email="ann@example.com", query_password="something else")
    older = place(product, email="ann@example.com", query_password="open sesame")
    newer = place(product, email="ann@example.com", query_password="open sesame")
    Order.objects.update(lookup_fingerprint="")  # as the migration leaves orders placed before it

    def lookup(password: str) -> tuple[list[str], int]:
        before = counting_hasher.checks
        found = find_orders(email="Ann@Example.com", query_password=password)
        return [order.number for order in found], counting_hasher.checks - before

    wrong = lookup("a guess")
    first = lookup("open sesame")
    fingerprints = dict(Order.objects.values_list("number", "lookup_fingerprint"))
    the_other_password = lookup("something else")
    again = lookup("open sesame")

    assert wrong == ([], 1)
    assert first == ([newer.number, older.number], 3)  # the newest old order stands in; then, proven, the other two
    assert fingerprints == {newer.number: lookup_fingerprint("ann@example.com", "open sesame"),
                            older.number: lookup_fingerprint("ann@example.com", "open sesame"), other.number: ""}
    assert the_other_password == ([other.number], 1)
    assert again == ([newer.number, older.number], 1)
