"""The worker process's dispatcher thread delivers effects by itself, reading only the database: no Huey
queue, no Redis, no commit hook in the process that wrote them."""

import time

import pytest

from yongxu.orders.tests.factories import pay, place
from yongxu.outbox import worker
from yongxu.outbox.models import Effect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_dispatcher_thread_sends_what_another_process_wrote(product, settings, mailoutbox):
    settings.HUEY = {**settings.HUEY, "immediate": False}  # nothing runs after the commit in this process
    order = pay(place(product, email="ann@example.com"))
    effect = Effect.objects.get(key=f"order:{order.pk}:delivered")
    assert effect.status == "pending"

    worker.start()
    try:
        deadline = time.monotonic() + 20  # a bound on the wait, not a timing assertion
        while Effect.objects.filter(status="pending").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()

    effect.refresh_from_db()
    assert effect.status == "done"
    assert [m.to for m in mailoutbox if m.subject.endswith("your keys")] == [["ann@example.com"]]
