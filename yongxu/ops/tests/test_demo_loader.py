"""The demo shop loads once; loading it again adds nothing."""

import pytest
from django.db.models import Count

from yongxu.catalog.models import Category, Product
from yongxu.inventory.models import CardKey
from yongxu.ops.demo import PRODUCTS, load_demo_shop

pytestmark = pytest.mark.django_db


def test_loading_the_demo_twice_changes_nothing_the_second_time():
    first = load_demo_shop()
    keys_after_first = CardKey.objects.count()

    second = load_demo_shop()

    assert first == {"products": len(PRODUCTS), "keys_added": sum(row[8] for row in PRODUCTS)}
    assert second == {"products": len(PRODUCTS), "keys_added": 0}
    assert Product.objects.count() == len(PRODUCTS)
    assert Category.objects.count() == 4
    assert CardKey.objects.count() == keys_after_first == first["keys_added"]
    duplicates = CardKey.objects.values("product", "fingerprint").annotate(n=Count("id")).filter(n__gt=1)
    assert list(duplicates) == []


def test_the_demo_has_each_kind_of_product():
    load_demo_shop()

    office = Product.objects.get(slug="office-installer")
    topup = Product.objects.get(slug="chatgpt-topup")
    assert office.has_reusable_key and not office.uses_key_stock
    assert topup.delivery_mode == "manual"
    assert CardKey.objects.filter(product__slug="jd-eca-200").count() == 3
