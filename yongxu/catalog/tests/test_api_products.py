"""GET /api/v1/products and /api/v1/products/{slug}: what is for sale, with stock."""

import pytest

from yongxu.catalog.models import DeliveryMode
from yongxu.conftest import make_product

pytestmark = pytest.mark.django_db


def test_the_list_shows_visible_products_with_stock_and_sold_out(client):
    stocked = make_product(keys=3, sort_order=1)
    empty = make_product(keys=0, sort_order=2)
    manual = make_product(delivery_mode=DeliveryMode.MANUAL, sort_order=3)
    make_product(keys=3, visible=False)

    response = client.get("/api/v1/products")

    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()}
    assert set(rows) == {stocked.slug, empty.slug, manual.slug}
    assert (rows[stocked.slug]["stock"], rows[stocked.slug]["sold_out"]) == (3, False)
    assert (rows[empty.slug]["stock"], rows[empty.slug]["sold_out"]) == (0, True)
    assert (rows[manual.slug]["stock"], rows[manual.slug]["sold_out"]) == (None, False)


def test_one_product_by_slug(client, product):
    response = client.get(f"/api/v1/products/{product.slug}")

    assert response.status_code == 200
    assert response.json() == {
        "slug": product.slug, "name": product.name, "category": product.category.name, "description": "",
        "price": "9.99", "currency": "CNY", "min_quantity": 1, "max_quantity": 10, "delivery_mode": "auto",
        "stock": 5, "sold_out": False,
    }


@pytest.mark.parametrize("slug", ["no-such-product", "hidden"])
def test_an_unknown_or_hidden_slug_is_a_json_404(client, slug):
    make_product(keys=1, visible=False, slug="hidden")

    response = client.get(f"/api/v1/products/{slug}")

    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "Not found."}
