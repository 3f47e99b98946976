"""A worker killed mid-effect: if nothing had been handed to the mail server, the effect is sent once the
claim is stale; if it had, the effect is "maybe sent", shown to staff with an alert, and never resent by
itself — so no e-mail is lost silently and none is sent twice."""

from datetime import timedelta

import pytest

from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.tests.factories import pay, place
from yongxu.outbox import services as outbox
from yongxu.outbox.models import Effect
from yongxu.outbox.tests.mailserver import WorkerKilled

pytestmark = pytest.mark.django_db


def paid(product):
    """A paid order whose "your keys" e-mail waits in the outbox (its "order placed" e-mail already sent)."""
    order = place(product, email="ann@example.com")
    outbox.drain()
    return pay(order)


def keys_mails(mailoutbox, email="ann@example.com"):
    return [m for m in mailoutbox if m.to == [email] and m.subject.endswith("your keys")]


def delivered_order(product):
    order = paid(product)  # not committed: the effect waits for drain()
    return order, Effect.objects.get(key=f"order:{order.pk}:delivered")


def test_killed_before_handing_over_it_is_sent_once_the_claim_is_stale(product, mail_server, mailoutbox,
                                                                        outbox_frozen, settings):
    order, effect = delivered_order(product)
    mail_server.append("killed before")

    with pytest.raises(WorkerKilled):
        outbox.drain()
    effect.refresh_from_db()
    assert (effect.status, effect.handed_at) == ("sending", None)
    assert outbox.drain() == 0  # restarted at once: the claim is still the dead worker's
    assert keys_mails(mailoutbox) == []

    outbox_frozen.shift(timedelta(seconds=settings.YONGXU_OUTBOX_STALE_SECONDS + 1))
    outbox.drain()

    effect.refresh_from_db()
    assert (effect.status, effect.attempts) == ("done", 2)
    assert len(keys_mails(mailoutbox)) == 1
    order.refresh_from_db()
    assert order.delivery_emailed_at is not None


def test_killed_after_handing_over_it_is_maybe_sent_and_never_sent_again(product, mail_server, mailoutbox,
                                                                          outbox_frozen, settings):
    order, effect = delivered_order(product)
    mail_server.append("killed after")

    with pytest.raises(WorkerKilled):
        outbox.drain()
    outbox_frozen.shift(timedelta(seconds=settings.YONGXU_OUTBOX_STALE_SECONDS + 1))
    outbox.drain()
    outbox.drain()

    effect.refresh_from_db()
    assert effect.status == "maybe"
    assert "not resent" in effect.last_error
    assert len(keys_mails(mailoutbox)) == 1  # the server had it: the buyer got it once
    [alert] = Alert.objects.filter(kind=AlertKind.EFFECT_FAILED)
    assert alert.subject_ref == f"order:{order.number}"


def test_a_slow_worker_whose_claim_was_taken_sends_nothing(product, mail_server, mailoutbox, outbox_frozen, settings):
    _order, effect = delivered_order(product)
    slow = outbox.claim(effect.pk, worker="slow-worker")
    outbox_frozen.shift(timedelta(seconds=settings.YONGXU_OUTBOX_STALE_SECONDS + 1))
    outbox.drain()  # presumed dead: another worker sends it
    assert len(keys_mails(mailoutbox)) == 1

    assert outbox.run(slow) == "sending"  # the slow one wakes up: its hand-over is refused

    effect.refresh_from_db()
    assert (effect.status, len(keys_mails(mailoutbox))) == ("done", 1)


def test_on_the_same_host_a_dead_workers_claims_are_taken_back_at_once(product, mail_server, mailoutbox):
    import subprocess
    import sys

    from yongxu.outbox.services import _host

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_worker = f"{_host()}:{int(gone.stdout)}:abcdef:1"  # that process has exited
    paid(product)
    keys = Effect.objects.get(kind="orders.email", payload__kind="delivered")
    outbox.claim(keys.pk, worker=dead_worker)

    outbox.drain()  # no stale timeout to wait for: the claimant's process is gone

    keys.refresh_from_db()
    assert keys.status == "done"
    assert len(keys_mails(mailoutbox)) == 1
