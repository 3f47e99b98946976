"""At level ``sync`` background synchronisation pauses: the shop shows the last stock snapshot and
says how old it is."""

from datetime import timedelta

import pytest

from yongxu.catalog.services import refresh_stock_snapshot
from yongxu.catalog.tasks import synchronise_stock_snapshot
from yongxu.conftest import make_product
from yongxu.inventory.services import import_keys
from yongxu.maintenance import services as maintenance

pytestmark = pytest.mark.django_db


def test_paused_sync_shows_the_snapshot_and_its_age(client, time_machine):
    product = make_product(keys=12, name="Snapshot Card")
    refresh_stock_snapshot()
    time_machine.move_to(timedelta(minutes=20))
    maintenance.turn_on("sync", actor="test", public_reason="Inventory sync paused")
    import_keys(product, [f"NEW-{n}" for n in range(30)], actor="test")

    page = client.get("/").content.decode()

    assert "12 in stock" in page
    assert "Stock figures last updated 20\xa0minutes ago" in page


def test_the_sync_job_does_not_run_while_paused(time_machine):
    product = make_product(keys=3)
    refresh_stock_snapshot()
    maintenance.turn_on("sync", actor="test")
    import_keys(product, ["MORE-1"], actor="test")

    synchronise_stock_snapshot.call_local()
    maintenance.turn_off(actor="test")

    from django.core.cache import cache

    assert cache.get("catalog:stock-snapshot")["counts"][product.pk] == 3


def test_with_sync_running_stock_is_live(client):
    make_product(keys=12, name="Live Card")
    refresh_stock_snapshot()

    page = client.get("/").content.decode()

    assert "12 in stock" in page
    assert "last updated" not in page
