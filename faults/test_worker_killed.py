"""Case a: checkouts while the Huey worker is killed (SIGKILL) at random moments and restarted."""

import random

from faults.harness.chaos import Repeatedly, seed
from faults.harness.client import new_checkouts
from faults.harness.expect import delivery_summary, failures, promised
from faults.harness.load import buy_all

CHECKOUTS = 50


def test_every_paid_order_is_delivered_and_emailed_once_while_the_worker_is_killed(stack):
    # given 50 buyers, and a mail server that takes a moment per message (so kills find e-mails under way)
    stack.sink.slow("data", 0.2)
    checkouts, rng = new_checkouts(CHECKOUTS, tag="a"), random.Random(run_seed := seed())

    # when they buy, four at a time, while the worker is killed every 0.3-1.5 s and restarted after 0.1-0.8 s,
    # and the killing goes on for a while after the last payment (the e-mails are sent then)
    with Repeatedly(stack.huey.kill9, stack.huey.start, every=(0.3, 1.5), down=(0.1, 0.8), rng=rng) as killer:
        buy_all(stack.buyer(), checkouts, clients=4, seconds=120)
        stack.wait_for_mail([c.email for c in checkouts], timeout=6, grace=0)
    stack.sink.slow("data", 0)
    mail = stack.wait_for_mail([c.email for c in checkouts])

    # then every paid order is delivered with its own key, and each "your keys" e-mail arrived exactly once
    summary = delivery_summary(stack.state, checkouts, mail)
    stack.figures |= {"seed": run_seed, "worker kills": killer.kills, "summary": summary, "errors": failures(checkouts)}
    assert summary == promised(CHECKOUTS)
    assert stack.recorder.server_errors() == []
