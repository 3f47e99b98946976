"""A failure nothing was sent in is retried with back-off (30 s, 1 min, 2 min…) until it works; a refusal
by the mail server sent nothing, so it is retried too; a dropped connection after the hand-over may have
delivered it: "maybe", not retried; after the last attempt the effect fails for good, with an alert."""

from datetime import timedelta

import pytest

from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.tests.factories import pay, place
from yongxu.outbox import services as outbox
from yongxu.outbox.models import Effect
from yongxu.outbox.registry import KINDS

pytestmark = pytest.mark.django_db


def paid(product):
    """A paid order whose "your keys" e-mail waits in the outbox (its "order placed" e-mail already sent)."""
    order = place(product, email="ann@example.com")
    outbox.drain()
    return pay(order)


@pytest.fixture
def keys_effect(product, outbox_frozen):
    order = paid(product)
    return Effect.objects.get(key=f"order:{order.pk}:delivered")


def test_a_refused_recipient_is_retried_after_30_seconds_then_sent(keys_effect, mail_server, mailoutbox, outbox_frozen):
    mail_server.append("refused")

    outbox.drain()
    keys_effect.refresh_from_db()
    assert (keys_effect.status, keys_effect.attempts, keys_effect.handed_at) == ("pending", 1, None)
    assert "SMTPRecipientsRefused" in keys_effect.last_error

    outbox_frozen.shift(timedelta(seconds=29))
    assert outbox.drain() == 0
    outbox_frozen.shift(timedelta(seconds=2))
    assert outbox.drain() == 1

    keys_effect.refresh_from_db()
    assert (keys_effect.status, keys_effect.attempts) == ("done", 2)
    assert len([m for m in mailoutbox if m.to == ["ann@example.com"] and m.subject.endswith("your keys")]) == 1


def test_a_connection_dropped_mid_send_is_maybe_sent(keys_effect, mail_server, mailoutbox, outbox_frozen):
    mail_server.append("dropped")

    outbox.drain()
    outbox_frozen.shift(timedelta(hours=1))
    outbox.drain()

    keys_effect.refresh_from_db()
    assert (keys_effect.status, keys_effect.attempts) == ("maybe", 1)
    assert Alert.objects.filter(kind=AlertKind.EFFECT_FAILED).count() == 1


def test_after_the_last_attempt_it_fails_for_good_with_an_alert(keys_effect, mail_server, mailoutbox, outbox_frozen):
    attempts = KINDS["orders.email"].max_attempts
    mail_server.extend(["refused"] * attempts)

    for _ in range(attempts):
        outbox.drain()
        outbox_frozen.shift(outbox.backoff(attempts) + timedelta(seconds=1))

    keys_effect.refresh_from_db()
    assert (keys_effect.status, keys_effect.attempts) == ("failed", attempts)
    assert [m for m in mailoutbox if m.to == ["ann@example.com"] and m.subject.endswith("your keys")] == []
    assert Alert.objects.filter(kind=AlertKind.EFFECT_FAILED).count() == 1


def test_the_back_off_doubles_up_to_an_hour():
    assert [int(outbox.backoff(n).total_seconds()) for n in (1, 2, 3, 4, 8, 20)] == [30, 60, 120, 240, 3600, 3600]
