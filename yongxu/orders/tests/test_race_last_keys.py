"""50 buyers race for the last 20 keys over real HTTP and real PostgreSQL transactions, each paying
through the gateway simulator: exactly 20 orders delivered, each key once, the rest refused cleanly."""

import json
import threading
import urllib.error
import urllib.request
from collections import Counter

import pytest

from yongxu.conftest import make_product
from yongxu.inventory.models import CardKey, KeyStatus
from yongxu.orders.models import Order, OrderStatus

BUYERS = 50
KEYS = 20
# Django's test server listens with a backlog of 10; more connections at once are reset by the kernel.
IN_FLIGHT = threading.BoundedSemaphore(8)


def _open(request, timeout: int = 60):
    with IN_FLIGHT:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - loopback only
        return response, response.read()


def _call(method: str, url: str, payload: dict | None = None) -> tuple[int, dict | str]:
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method,  # noqa: S310 - the test's own server
                                     headers={"Content-Type": "application/json"})
    try:
        response, raw = _open(request)
        body, status = raw.decode(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read().decode(), error.code
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def _buyer(base: str, slug: str, n: int, outcomes: list, start: threading.Barrier) -> None:
    start.wait(timeout=30)
    try:
        _buy_and_pay(base, slug, n, outcomes)
    except Exception as exc:  # noqa: BLE001 - reported by the assertion on outcomes
        outcomes.append(("crashed", repr(exc)))


def _buy_and_pay(base: str, slug: str, n: int, outcomes: list) -> None:
    status, order = _call("POST", f"{base}/api/v1/orders", {"product": slug, "quantity": 1, "email": f"racer{n}@example.com"})
    if status != 201:
        outcomes.append(("refused", order["error"]))
        return
    _, payment = _call("POST", f"{base}/api/v1/orders/{order['token']}/payments", {"provider": "epay"})
    # The buyer follows the redirect to the simulator, which opens a trade, then presses "pay".
    response, _ = _open(payment["redirect_url"])
    _open(urllib.request.Request(f"{response.geturl()}act/", data=b"action=pay", method="POST"))  # noqa: S310
    outcomes.append(("paid", order["token"]))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_for_twenty_keys_get_exactly_twenty_deliveries(live_shop, settings):
    # Fifty buyers, one loopback address: the per-client order limits would stop all but three.
    settings.YONGXU_ORDERS_PER_CLIENT = settings.YONGXU_UNPAID_ORDERS_PER_CLIENT = BUYERS
    product = make_product(keys=KEYS, max_quantity=1)
    outcomes: list = []
    start = threading.Barrier(BUYERS)
    threads = [threading.Thread(target=_buyer, args=(live_shop, product.slug, n, outcomes, start))
               for n in range(BUYERS)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not any(thread.is_alive() for thread in threads)
    kinds = Counter(kind for kind, _ in outcomes)
    assert [detail for kind, detail in outcomes if kind == "crashed"] == []
    assert kinds == {"paid": KEYS, "refused": BUYERS - KEYS}
    assert {detail for kind, detail in outcomes if kind == "refused"} == {"out_of_stock"}
    delivered = Order.objects.filter(product=product, status=OrderStatus.DELIVERED)
    assert delivered.count() == KEYS
    assert Order.objects.filter(product=product).exclude(status=OrderStatus.DELIVERED).count() == 0
    sold = CardKey.objects.filter(product=product, status=KeyStatus.SOLD)
    assert sold.count() == KEYS
    assert len(set(sold.values_list("order_id", flat=True))) == KEYS
    assert CardKey.objects.filter(product=product).exclude(status=KeyStatus.SOLD).count() == 0
