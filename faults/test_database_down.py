"""Case c: PostgreSQL stopped under a running shop, then started again."""

import pytest

from faults.harness.client import NoAnswer, new_checkouts
from faults.harness.expect import delivery_summary, failures, kept_promise, undelivered
from faults.harness.load import buy_all
from faults.harness.procs import wait_until

PAGES = ("/", "/p/fault-card/", "/lookup/", "/status/")
WAITING = 6
TRAFFIC = {"page", "api", "notify"}


def answer(response, *, json_api: bool) -> str:
    """"ok", the promised "unavailable" answer, or a description of whatever else came back."""
    kind = response.headers.get("content-type", "").split(";")[0]
    if response.status == 200:
        return "ok"
    if response.status == 503 and json_api and kind == "application/json" and "error" in response.json():
        return "unavailable (JSON)"
    if (response.status == 503 and not json_api and kind == "text/html" and "retry-after" in response.headers
            and "temporarily unavailable" in response.text.lower()):
        return "unavailable (page)"
    return f"{response.status} {kind} {' '.join(response.text.split())[:80]}"


def test_database_down_gives_honest_503s_and_every_retried_callback_is_applied_once(stack):
    # given two delivered orders, and six orders whose payment was started and whose gateway has not called yet
    buyer = stack.buyer()
    delivered = buy_all(buyer, new_checkouts(2, tag="c"), clients=1, seconds=30)
    waiting = [buyer.place(checkout) for checkout in new_checkouts(WAITING, tag="cw")]

    # when PostgreSQL stops
    stack.postgres.stop()
    pages = {path: answer(stack.get(path, kind="down"), json_api=False)
             for path in (*PAGES, f"/o/{delivered[0].token}/")}
    api = {"GET /api/v1/products": answer(stack.get("/api/v1/products", kind="down"), json_api=True),
           "POST /api/v1/orders": answer(buyer.call(waiting[0], "POST", "/api/v1/orders", kind="down", payload={
               "product": "fault-card", "quantity": 1, "email": "buyer-c-down@example.com"}), json_api=True)}
    callbacks = []
    for checkout in waiting:
        try:
            callbacks.append(buyer.call(checkout, "GET", "/pay/notify/epay/?" + checkout.notification, kind="down").status)
        except NoAnswer as exc:
            callbacks.append(str(exc))
    ready, alive = stack.get("/readyz", kind="down"), stack.get("/healthz", kind="down")
    readiness = {"status": ready.status, "database failing": "database" in _failing(ready),
                 "cache failing": "cache" in _failing(ready), "/healthz": alive.status}

    # and starts again, and the gateway retries each callback (once more after its "success", as gateways do)
    stack.postgres.start()
    wait_until(lambda: stack.get("/readyz", kind="probe").status == 200 or "database" not in _failing(
        stack.get("/readyz", kind="probe")), timeout=30, what="/readyz to see the database again")
    for checkout in waiting:
        buyer.finish(checkout)
        buyer.notify(checkout, attempts=1)
    mail = stack.wait_for_mail([c.email for c in delivered + waiting])

    # then buyers got the "temporarily unavailable" page, the API JSON 503s, the gateway 503s, and
    # afterwards every payment was applied exactly once and every key e-mail arrived once
    summary = delivery_summary(stack.state, delivered + waiting, mail)
    stack.figures |= {"pages": pages, "api": api, "callbacks": callbacks, "readiness": readiness, "summary": summary,
                      "errors": failures(waiting), "undelivered": undelivered(stack.state, waiting)}
    assert {path: result for path, result in pages.items() if result not in ("ok", "unavailable (page)")} == {}
    assert api["POST /api/v1/orders"] == "unavailable (JSON)"
    assert api["GET /api/v1/products"] in ("ok", "unavailable (JSON)")
    assert callbacks == [503] * WAITING
    assert readiness == {"status": 503, "database failing": True, "cache failing": False, "/healthz": 200}
    assert summary == kept_promise(summary, len(delivered + waiting), maybe_sent=stack.state.maybe_sent())
    assert stack.recorder.server_errors(TRAFFIC) == []


def _failing(response) -> list[str]:
    try:
        return response.json().get("failing", [])
    except ValueError:
        return [f"not JSON: HTTP {response.status}"]


pytestmark = pytest.mark.shop(workers=2, threads=4)
