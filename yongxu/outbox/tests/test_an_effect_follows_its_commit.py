"""An effect is a row of the transaction that causes it: done once that commits, never if it rolls back,
and the same key twice is one effect."""

import pytest
from django.db import transaction

from yongxu.outbox import services as outbox
from yongxu.outbox.models import Effect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_effect_is_done_after_the_commit(product, mail_server, mailoutbox):
    from yongxu.orders.tests.factories import pay, place

    order = pay(place(product, email="ann@example.com"))

    [delivered] = [m for m in mailoutbox if m.subject.endswith("your keys")]
    assert delivered.to == ["ann@example.com"]
    effect = Effect.objects.get(key=f"order:{order.pk}:delivered")
    assert (effect.kind, effect.status, effect.attempts, effect.subject) == (
        "orders.email", "done", 1, f"order:{order.number}")
    assert effect.handed_at is not None and effect.done_at is not None


def test_a_rolled_back_transaction_leaves_no_effect_and_sends_nothing(mail_server, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.add("ops.alert_email", key="alert:test:rolled-back", payload={"kind": "low_stock", "first": 0})
        raise RuntimeError("the change failed")

    assert Effect.objects.count() == 0
    assert mailoutbox == []


def test_the_same_key_twice_is_one_effect(product, mail_server, mailoutbox):
    from yongxu.orders.services import _email
    from yongxu.orders.tests.factories import pay, place

    order = pay(place(product, email="ann@example.com"))
    with transaction.atomic():
        _email(order, "delivered")  # asked again (a retried job, a second code path)

    assert Effect.objects.filter(key=f"order:{order.pk}:delivered").count() == 1
    assert len([m for m in mailoutbox if m.subject.endswith("your keys")]) == 1


def test_an_unregistered_kind_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="register it"), transaction.atomic():
        outbox.add("orders.sms", key="x")

    assert Effect.objects.count() == 0
