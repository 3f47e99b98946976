"""The built-in Epay simulator plays the gateway end to end: the buyer is sent to submit.php, pays on its
page, and its notification reaches the shop over real HTTP (the live server), as a real gateway's would."""

from unittest import mock
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.models import NotificationOutcome, Payment, PaymentSource
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.tests.conftest import MoneyState, epay_config, last_notification, money_state, signed_by_epusdt

DELIVERED_ONE = MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0, stock_available=4,
                           payments_succeeded=1, buyer_emails=1)


@pytest.fixture
def simulator(settings, live_server):
    """The shop at the live server's address, paying through the simulator on the same server."""
    settings.SITE_URL = live_server.url
    settings.EPAY_GATEWAY_URL = f"{live_server.url}/simulator/"
    settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS,
                                         "epay": {**epay_config(), "gateway_url": settings.EPAY_GATEWAY_URL}}
    return live_server


def _buy_and_reach_the_pay_page(client, product, simulator) -> tuple[Order, SimulatedTrade]:
    response = client.post(f"/p/{product.slug}/buy/", {"quantity": "1", "email": "buyer@example.com",
                                                       "provider": "epay"})
    submit = urlsplit(response["Location"])
    assert (response.status_code, f"{submit.scheme}://{submit.netloc}{submit.path}") == (
        302, f"{simulator.url}/simulator/submit.php")
    response = client.get(submit.path, dict(parse_qsl(submit.query)))
    trade = SimulatedTrade.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/simulator/pay/{trade.trade_no}/")
    assert f"{trade.money} CNY" in client.get(response["Location"]).content.decode()
    return Order.objects.get(), trade


@pytest.mark.django_db(transaction=True)
def test_paying_on_the_simulator_delivers_over_http(client, product, simulator):
    order, trade = _buy_and_reach_the_pay_page(client, product, simulator)

    response = client.post(f"/simulator/pay/{trade.trade_no}/act/", {"action": "pay"})

    trade.refresh_from_db()
    payment = Payment.objects.get(order=order)
    assert response.status_code == 302
    assert response["Location"] == f"{simulator.url}/o/{order.token}/return/?ref={payment.reference}"
    assert (trade.status, trade.paid_money, trade.notified, trade.notify_attempts) == (1, "9.99", True, 1)
    assert money_state(order) == DELIVERED_ONE
    assert (payment.source, payment.gateway_trade_no) == (PaymentSource.NOTIFY, trade.trade_no)
    assert (last_notification().outcome, last_notification().method) == (NotificationOutcome.APPLIED, "GET")


@pytest.mark.django_db(transaction=True)
def test_paying_the_wrong_amount_leaves_the_order_unpaid(client, product, simulator):
    order, trade = _buy_and_reach_the_pay_page(client, product, simulator)
    before = money_state(order)

    client.post(f"/simulator/pay/{trade.trade_no}/act/", {"action": "pay_wrong"})

    trade.refresh_from_db()
    assert (trade.status, trade.paid_money, trade.notified) == (1, "0.01", True)  # the shop answered, refusing
    assert money_state(order) == before
    assert last_notification().outcome == NotificationOutcome.REJECTED
    assert list(Alert.objects.values_list("kind", flat=True)) == [AlertKind.BAD_NOTIFICATION]


@pytest.mark.django_db(transaction=True)
def test_lost_callback_is_made_good_by_the_query_on_return(client, product, simulator):
    order, trade = _buy_and_reach_the_pay_page(client, product, simulator)
    with mock.patch("yongxu.payments.simulator.views.notify_shop") as firewall_eats_it:
        response = client.post(f"/simulator/pay/{trade.trade_no}/act/", {"action": "pay"})
    assert firewall_eats_it.call_count == 1
    assert money_state(order).order_status == OrderStatus.PENDING

    back = urlsplit(response["Location"])
    client.get(back.path, dict(parse_qsl(back.query)))

    assert money_state(order) == DELIVERED_ONE
    assert Payment.objects.get(order=order).source == PaymentSource.QUERY


@pytest.mark.django_db
def test_submit_with_a_bad_signature_is_refused(client, settings):
    params = signed_by_epusdt({"pid": settings.EPAY_PID, "type": "alipay", "out_trade_no": "YX-TEST-01",
                               "notify_url": "http://shop.test/pay/notify/epay/", "name": "Gift card", "money": "9.99"})

    response = client.get(f"/simulator/submit.php?{urlencode({**params, 'money': '0.01'})}")

    assert (response.status_code, response.content) == (400, b"bad signature")
    assert SimulatedTrade.objects.count() == 0
