"""Every simulated gateway (Alipay, epusdt, WeChat Pay) behaves as its real one would for the shop: paying
on its page delivers over real HTTP, the wrong amount and a cancel change nothing, and a notification lost
on the way is made good by the shop's own query when the pay page polls."""

from unittest import mock

import pytest

from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, PaymentSource
from yongxu.payments.tests.conftest import last_notification, money_state
from yongxu.payments.tests.simulated import DELIVERED_ONE, GATEWAY_ADDRESS, buy_and_reach_the_simulator, point_at_simulator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=sorted(GATEWAY_ADDRESS))
def bought(request, live_shop, settings, client, product):
    """(protocol, order, payment, trade): one unit bought and the simulator's pay page reached."""
    protocol = request.param
    point_at_simulator(settings, live_shop, protocol)
    return (protocol, *buy_and_reach_the_simulator(client, product, live_shop, protocol))


def test_paying_on_the_simulator_delivers_over_http(client, bought):
    protocol, order, payment, trade = bought

    response = client.post(f"/simulator/{protocol}/pay/{trade.trade_no}/act/", {"action": "pay"})

    trade.refresh_from_db()
    payment.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, f"/simulator/{protocol}/pay/{trade.trade_no}/")
    assert (trade.status, trade.paid_money, trade.notified, trade.notify_attempts) == (1, "9.99", True, 1)
    assert money_state(order) == DELIVERED_ONE
    assert (payment.source, payment.gateway_trade_no) == (PaymentSource.NOTIFY, trade.trade_no)
    assert (last_notification().outcome, last_notification().method) == (NotificationOutcome.APPLIED, "POST")
    poll = client.get(f"/o/{order.token}/pay/{payment.reference}/", headers={"HX-Request": "true"})
    assert (poll.status_code, poll["HX-Redirect"]) == (204, f"/o/{order.token}/")


def test_paying_the_wrong_amount_leaves_the_order_unpaid(client, bought):
    protocol, order, payment, trade = bought
    before = money_state(order)

    client.post(f"/simulator/{protocol}/pay/{trade.trade_no}/act/", {"action": "pay_wrong"})

    trade.refresh_from_db()
    assert (trade.status, trade.paid_money, trade.notified) == (1, "0.01", True)  # the shop answered, refusing
    assert money_state(order) == before
    assert last_notification().outcome == NotificationOutcome.REJECTED
    assert list(Alert.objects.values_list("kind", flat=True)) == [AlertKind.BAD_NOTIFICATION]


def test_cancelling_pays_nothing(client, bought):
    protocol, order, payment, trade = bought

    response = client.post(f"/simulator/{protocol}/pay/{trade.trade_no}/act/", {"action": "cancel"}, follow=True)

    trade.refresh_from_db()
    assert "You cancelled" in response.content.decode()
    assert (trade.status, trade.notify_attempts) == (0, 0)
    assert money_state(order).order_status == OrderStatus.PENDING


def test_lost_notification_is_made_good_by_the_query_on_the_pay_page_poll(client, bought):
    protocol, order, payment, trade = bought
    with mock.patch(f"yongxu.payments.simulator.{protocol}.notify_shop") as firewall_eats_it:
        client.post(f"/simulator/{protocol}/pay/{trade.trade_no}/act/", {"action": "pay"})
    assert firewall_eats_it.call_count == 1
    assert money_state(order).order_status == OrderStatus.PENDING

    poll = client.get(f"/o/{order.token}/pay/{payment.reference}/", headers={"HX-Request": "true"})

    assert (poll.status_code, poll["HX-Redirect"]) == (204, f"/o/{order.token}/")
    assert money_state(order) == DELIVERED_ONE
    payment.refresh_from_db()
    assert (payment.source, payment.gateway_trade_no) == (PaymentSource.QUERY, trade.trade_no)
