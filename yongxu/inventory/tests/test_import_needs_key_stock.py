"""A product that does not use key stock (manual, or a reusable key) refuses an import."""

import pytest

from yongxu.catalog.models import DeliveryMode
from yongxu.conftest import make_product
from yongxu.inventory.models import CardKey
from yongxu.inventory.services import KeyImportError, import_keys

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fields", [{"delivery_mode": DeliveryMode.MANUAL}, {"reusable_key": "https://dl.example/x"}])
def test_an_import_into_a_product_without_stock_is_refused(fields):
    product = make_product(**fields)

    with pytest.raises(KeyImportError) as refused:
        import_keys(product, ["K1", "K2"], actor="test")

    assert refused.value.code == "product_has_no_stock"
    assert CardKey.objects.count() == 0
