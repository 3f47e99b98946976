"""Case e: the worker killed (SIGKILL) while it talks to the mail server.

``rcpt``: killed before the message was handed over (the server cannot have it). ``data``: killed after the
whole message reached the server, before its "250 OK" (the server accepted what the worker never heard
acknowledged). Either way no "your keys" e-mail may be lost or doubled unless the database says it may
have been sent."""

import pytest

from faults.harness.client import new_checkouts
from faults.harness.load import buy_all

CHECKOUTS, KILLS = 8, 3


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_no_key_email_is_lost_or_doubled_without_the_doubt_recorded(stack, stage):
    # given eight paid orders whose e-mails wait for the worker, and a mail server slow at one stage
    stack.huey.stop()
    checkouts = buy_all(stack.buyer(), new_checkouts(CHECKOUTS, tag=f"e{stage}"), clients=2, seconds=60)
    assert [c.status for c in checkouts] == ["delivered"] * CHECKOUTS, [c.errors for c in checkouts]
    stack.sink.slow(stage, 2.0)
    stack.huey.start()

    # when the worker is killed three times while a conversation is at that stage, and restarted at once
    reached = 0
    for _ in range(KILLS):
        reached += 1
        assert stack.sink.wait_entered(stage, reached, timeout=30), f"no SMTP conversation reached {stage}"
        reached = stack.sink.entered[stage]
        stack.huey.kill9()
        stack.huey.start()
    stack.sink.slow(stage, 0)
    mail = stack.wait_for_mail([c.email for c in checkouts])

    # then each order's key e-mail arrived once and the order says so; any other outcome is marked "maybe sent"
    orders = stack.state.by_email()
    outcome = {"delivered orders": sum(orders[c.email].status == "delivered" for c in checkouts),
               "received once, recorded as sent": 0, "received once, not recorded as sent": 0, "lost": 0, "doubled": 0}
    for checkout in checkouts:
        count, emailed = mail[checkout.email], orders[checkout.email].emailed
        key = ("lost" if count == 0 else "doubled" if count > 1
               else "received once, not recorded as sent" if emailed is False else "received once, recorded as sent")
        outcome[key] += 1
    doubtful = outcome["received once, not recorded as sent"] + outcome["lost"] + outcome["doubled"]
    maybe_sent = stack.state.maybe_sent()
    stack.figures |= {"outcome": outcome, "maybe-sent rows": maybe_sent, "conversations that reached the stage": reached}
    assert outcome["delivered orders"] == CHECKOUTS
    if maybe_sent:  # the outbox admits doubt: every order off the promise must be one of its "maybe sent" rows
        assert doubtful <= maybe_sent, outcome
    else:
        assert outcome == {"delivered orders": CHECKOUTS, "received once, recorded as sent": CHECKOUTS,
                           "received once, not recorded as sent": 0, "lost": 0, "doubled": 0}
