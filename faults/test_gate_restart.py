"""Case d: full maintenance on, then PostgreSQL restarted and gunicorn restarted (its fresh workers boot
while the database is down) under a client hammering POST /api/v1/orders."""

import itertools
import threading
import time

from faults.harness.client import request
from faults.harness.load import Load
from faults.harness.switches import switch


def hammering(stack):
    """A step that tries to create an order through the API, each try with a new e-mail and address."""
    serial, lock = itertools.count(), threading.Lock()

    def step() -> None:
        with lock:
            n = next(serial)
        request(stack.port, "POST", "/api/v1/orders", recorder=stack.recorder, kind="hammer", timeout=10,
                payload={"product": "fault-card", "quantity": 1, "email": f"hammer-{n}@example.com"},
                headers={"X-Forwarded-For": f"10.99.{n // 250 % 250}.{n % 250 + 1}"})

    return step


def test_no_order_is_created_during_full_maintenance_across_a_database_and_worker_restart(stack):
    # given full maintenance, switched on and seen by every gunicorn worker
    on = switch(stack, "on", "--level", "full", "--reason", "fault suite", probe="/p/fault-card/", expect=503)
    assert (on.exit_code, on.effect_seconds is not None) == (0, True), on
    closed_at = stack.state.now()

    # when a client hammers the API while PostgreSQL stops, gunicorn is killed and started again with the
    # database still down, and PostgreSQL comes back
    with Load(seconds=90) as load:
        load.add(hammering(stack), pace=0.05).add(hammering(stack), pace=0.05)
        time.sleep(2)
        stack.postgres.stop()
        stack.gunicorn.restart()
        time.sleep(3)
        stack.postgres.start()
        time.sleep(10)

    # then not one order was created, and the API only ever said "closed"
    hammer = stack.recorder.snapshot({"hammer"})
    answers: dict[str, int] = {}
    for outcome in hammer:
        key = str(outcome.status) if outcome.status is not None else "no answer"
        answers[key] = answers.get(key, 0) + 1
    created = stack.state.orders_created_since(closed_at)
    stack.figures |= {"maintenance on": on.row(), "hammer answers": answers, "orders created": created}
    assert {"orders created": created, "answers other than 503": sum(
        n for status, n in answers.items() if status not in ("503", "no answer"))} == {
        "orders created": 0, "answers other than 503": 0}, answers
