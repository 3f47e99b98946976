"""Case b: Redis (REDIS_URL set) stopped in the middle of the load, then restarted and hung (SIGSTOP: the
kernel accepts connections, nothing answers), then resumed."""

import time

from faults.harness.client import new_checkouts
from faults.harness.expect import delivery_summary, failures, kept_promise, undelivered
from faults.harness.load import API_READS, BUYER_PAGES, Load, browsing, buying, paying
from faults.harness.switches import switch

CHECKOUTS, WAITING = 24, 12
DATABASE_POLL = 5.0  # the gate polls the database every 5 s while the cheap channel is down
EFFECT_LIMIT = DATABASE_POLL + 3.0  # one poll, plus the check interval and slack for a loaded machine
TRAFFIC = {"page", "api", "notify"}


def operator_round(stack, load):
    """`maintenance on --level full` then `off`, with the buyers' load paused so that the 503s it causes
    are the probes' alone; each must exit 0 and take effect within the database poll."""
    load.pause()
    try:
        return [switch(stack, "on", "--level", "full", "--reason", "fault suite", probe="/p/fault-card/", expect=503,
                       wait=EFFECT_LIMIT + 2),
                switch(stack, "off", probe="/p/fault-card/", expect=200, wait=EFFECT_LIMIT + 2)]
    finally:
        load.resume()


def test_redis_stopped_then_hung_costs_no_request_no_order_and_no_email(stack):
    # given buyers checking out, browsing the shop and reading the API on a shop that uses Redis,
    # and twelve orders placed whose gateway notifications are still to come
    buyer, checkouts, waiting = stack.buyer(), new_checkouts(CHECKOUTS, tag="b"), new_checkouts(WAITING, tag="bw")
    for checkout in waiting:
        buyer.place(checkout)
    with Load(seconds=120) as load:
        buy = buying(buyer, checkouts)
        load.add(buy, pace=1.0).add(buy, pace=1.0)
        load.add(browsing(stack.port, stack.recorder, BUYER_PAGES, kind="page"), pace=0.2)
        load.add(browsing(stack.port, stack.recorder, API_READS, kind="api"), pace=0.3)
        time.sleep(2)

        # when Redis is stopped while half the notifications arrive, and an operator switches maintenance on and off
        stack.redis.stop()
        load.add(paying(buyer, waiting[:WAITING // 2]), pace=0)
        time.sleep(4)
        stopped = operator_round(stack, load)
        time.sleep(2)

        # and when Redis comes back empty but hangs while the other half arrive, and the operator does it again
        stack.redis.start()
        stack.redis.hang()
        load.add(paying(buyer, waiting[WAITING // 2:]), pace=0)
        time.sleep(4)
        hung = operator_round(stack, load)
        time.sleep(2)

        # and Redis answers again
        stack.redis.resume()
        time.sleep(3)
    placed = [c for c in waiting + checkouts if c.token]
    for checkout in placed:
        buyer.finish(checkout)
    mail = stack.wait_for_mail([c.email for c in placed])

    # then no request failed, every paid order is delivered and every key e-mail arrived exactly once
    summary = delivery_summary(stack.state, placed, mail)
    switches = {"Redis stopped": [s.row() for s in stopped], "Redis hung": [s.row() for s in hung]}
    stack.figures |= {"checkouts placed": len(placed), "summary": summary, "switches": switches,
                      "errors": failures(checkouts + waiting), "undelivered": undelivered(stack.state, placed)}
    assert {"5xx": len(stack.recorder.server_errors(TRAFFIC)), "no answer": len(stack.recorder.no_answers(TRAFFIC)),
            "checkouts placed": len(placed)} == {"5xx": 0, "no answer": 0, "checkouts placed": CHECKOUTS + WAITING}
    assert summary == kept_promise(summary, len(placed), maybe_sent=stack.state.maybe_sent())
    assert [(s.exit_code, s.effect_seconds is not None and s.effect_seconds <= EFFECT_LIMIT)
            for s in stopped + hung] == [(0, True)] * 4, switches
