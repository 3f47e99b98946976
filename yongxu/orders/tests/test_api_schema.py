"""The API describes itself at /api/v1/openapi.json."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_path(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Yongxu API"
    assert {"/api/v1/products", "/api/v1/products/{slug}", "/api/v1/orders", "/api/v1/orders/{token}",
            "/api/v1/orders/{token}/payments", "/api/v1/lookup"} <= set(document["paths"])
    assert "post" in document["paths"]["/api/v1/orders"]
