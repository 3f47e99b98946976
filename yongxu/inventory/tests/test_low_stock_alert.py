"""Selling below a product's threshold alerts the merchant once; an import re-arms the alert."""

import pytest

from yongxu.conftest import make_product
from yongxu.inventory.services import available_count, import_keys
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.tests.factories import pay, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched():
    return make_product(keys=6, low_stock_threshold=3)


def low_stock_alerts(product) -> list[str]:
    return list(Alert.objects.filter(kind=AlertKind.LOW_STOCK, subject_ref=product.slug)
                .order_by("id").values_list("message", flat=True))


def test_selling_down_to_the_threshold_does_not_alert(watched):
    pay(place(watched, quantity=3))

    assert available_count(watched) == 3
    assert low_stock_alerts(watched) == []


def test_selling_below_the_threshold_alerts_once_not_per_sale(watched):
    pay(place(watched, quantity=4))
    pay(place(watched, quantity=1))
    pay(place(watched, quantity=1))

    assert available_count(watched) == 0
    assert low_stock_alerts(watched) == [f"{watched.name}: 2 keys left (threshold 3)."]
    watched.refresh_from_db()
    assert watched.low_stock_alerted is True


def test_an_import_re_arms_the_alert(watched):
    pay(place(watched, quantity=4))

    import_keys(watched, ["N1", "N2", "N3"], actor="test")
    watched.refresh_from_db()
    assert watched.low_stock_alerted is False
    assert len(low_stock_alerts(watched)) == 1

    pay(place(watched, quantity=3))

    assert low_stock_alerts(watched) == [f"{watched.name}: 2 keys left (threshold 3).",
                                         f"{watched.name}: 2 keys left (threshold 3)."]


def test_an_import_of_only_duplicates_does_not_re_arm(watched):
    pay(place(watched, quantity=4))

    import_keys(watched, [f"KEY-{watched.pk}-00005"], actor="test")

    watched.refresh_from_db()
    assert watched.low_stock_alerted is True


def test_a_product_with_no_threshold_never_alerts():
    quiet = make_product(keys=2, low_stock_threshold=0)

    pay(place(quiet, quantity=2))

    assert low_stock_alerts(quiet) == []
