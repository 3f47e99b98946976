"""A process that has not yet read the maintenance state (it started while the database was down) decides
from the last state saved under var/, or — with none — treats every capability but the always-open set as
closed; when the database returns it reads the state before it lets anything through. So a database
restart and a worker restart during full maintenance let no order in."""

import pytest

from yongxu.conftest import database_down
from yongxu.maintenance import snapshot
from yongxu.maintenance.snapshot import UNKNOWN, Gatekeeper, Snapshot, gatekeeper
from yongxu.maintenance.tests.conftest import switch_off, switch_on
from yongxu.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def looks_every_request(monkeypatch):
    monkeypatch.setattr(snapshot, "CHECK_INTERVAL", 0)
    monkeypatch.setattr(snapshot, "DATABASE_POLL_INTERVAL", 0)


@pytest.fixture
def new_process(monkeypatch):
    """This process has just started: its gate has read nothing yet."""
    monkeypatch.setattr(gatekeeper, "_snapshot", Snapshot(version=-1, closures=UNKNOWN, fresh=False))
    monkeypatch.setattr(gatekeeper, "_saved_tried", False)
    monkeypatch.setattr(gatekeeper, "_force", True)


def order_api(client, product):
    return client.post("/api/v1/orders", {"product": product.slug, "quantity": 1, "email": "x@example.com"},
                       content_type="application/json")


def test_with_nothing_read_and_nothing_saved_everything_but_the_always_open_set_is_closed():
    keeper = Gatekeeper()

    with database_down():
        state = keeper.state()

    assert [state.is_closed(c) for c in ("checkout", "payment", "browse", "api", "delivery")] == [True] * 5
    assert [state.is_closed(c) for c in ("payment-notify", "status", "health")] == [False] * 3


def test_it_decides_from_the_state_this_node_saved_last(looks_every_request):
    switch_on("full")
    Gatekeeper().state()  # a process that read it (and saved it)
    switch_off()  # … then the state changed while the next process could not read the database

    with database_down():
        state = Gatekeeper().state()

    assert state.is_closed("checkout")  # the last state it saw; it does not guess "open"


def test_an_open_shop_saved_last_stays_open_while_the_database_is_away(looks_every_request):
    Gatekeeper().state()

    with database_down():
        state = Gatekeeper().state()

    assert not state.is_closed("checkout")


def test_across_a_database_and_worker_restart_in_full_maintenance_no_order_is_taken(client, product, new_process,
                                                                                  looks_every_request):
    switch_on("full")
    Gatekeeper().state()  # the worker that ran before saw it (and saved it)
    with database_down():  # the database restarts, and a new worker starts meanwhile
        during = order_api(client, product)
    after = [order_api(client, product).status_code for _ in range(3)]  # back: read before deciding

    assert during.status_code == 503
    assert after == [503, 503, 503]
    assert Order.objects.count() == 0


def test_when_the_database_returns_the_gate_reads_it_before_opening(client, product, new_process, looks_every_request):
    with database_down():
        assert order_api(client, product).status_code == 503  # nothing read, nothing saved: closed

    assert order_api(client, product).status_code == 201  # read, and open
