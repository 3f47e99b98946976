"""Case a: checkouts while the Huey worker is killed (SIGKILL) at random moments and restarted."""

import random

from faults.harness.chaos import Repeatedly, seed
from faults.harness.client import new_checkouts
from faults.harness.expect import delivery_summary, failures, kept_promise
from faults.harness.load import buy_all

CHECKOUTS = 50


def restart(huey):
    """Start the worker and wait until its consumer runs, so that the next kill finds it working."""
    def revive() -> None:
        huey.start()
        huey.wait_ready()
    return revive


def test_every_paid_order_is_delivered_and_emailed_once_while_the_worker_is_killed(stack):
    # given 50 buyers, and a mail server that takes a moment to accept each recipient (so that kills find
    # e-mails under way, before the server has them)
    stack.sink.slow("rcpt", 0.2)
    checkouts, rng = new_checkouts(CHECKOUTS, tag="a"), random.Random(run_seed := seed())

    # when they buy, four at a time, while the worker is killed 0.3-2 s after it is up, and restarted after
    # 0.1-0.8 s, and the killing goes on after the last payment while the e-mails are being sent
    with Repeatedly(stack.huey.kill9, restart(stack.huey), every=(0.3, 2.0), down=(0.1, 0.8), rng=rng) as killer:
        buy_all(stack.buyer(), checkouts, clients=4, seconds=120)
        stack.wait_for_mail([c.email for c in checkouts], timeout=15, grace=0)
    stack.sink.slow("rcpt", 0)
    mail = stack.wait_for_mail([c.email for c in checkouts])

    # then every paid order is delivered with its own key, and each "your keys" e-mail arrived exactly once
    # (or, where a kill left it in doubt, the outbox says "maybe sent")
    summary, maybe_sent = delivery_summary(stack.state, checkouts, mail), stack.state.maybe_sent()
    stack.figures |= {"seed": run_seed, "worker kills": killer.kills, "summary": summary, "maybe-sent rows": maybe_sent,
                      "errors": failures(checkouts)}
    assert summary == kept_promise(summary, CHECKOUTS, maybe_sent=maybe_sent)
    assert stack.recorder.server_errors() == []
