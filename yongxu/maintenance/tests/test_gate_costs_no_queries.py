"""The gate is nearly free: once its snapshot is loaded, a request costs no database query, whether
the shop is open or closed (the maintenance page is pre-rendered)."""

import pytest

from yongxu.conftest import make_product
from yongxu.maintenance.tests.conftest import switch_on

pytestmark = pytest.mark.django_db


def test_healthz_costs_no_query_with_maintenance_off(client, django_assert_num_queries):
    client.get("/healthz")  # the first look after a change reads the database once

    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200


def test_status_and_health_cost_no_query_during_maintenance(client, committed, django_assert_num_queries):
    with committed():
        switch_on("full", public_reason="Database upgrade")
    client.get("/healthz")

    with django_assert_num_queries(0):
        status = client.get("/status.json")
        health = client.get("/healthz")

    assert (status.status_code, status.json()["in_maintenance"], status.json()["level"]) == (200, True, "full")
    assert health.status_code == 200


def test_a_closed_page_costs_no_query(client, committed, django_assert_num_queries):
    product = make_product(keys=1)
    with committed():
        switch_on("full", public_reason="Database upgrade")
    client.get("/")

    with django_assert_num_queries(0):
        home = client.get("/")
        page = client.get(f"/p/{product.slug}/")

    assert (home.status_code, page.status_code) == (503, 503)
    assert "Database upgrade" in page.content.decode()
