"""The QR pay page: a locally drawn SVG QR code, the amount, the time left, "open in the app" on phones;
htmx polls it, each poll asks the gateway (throttled), and a paid order ends on the order page."""

from datetime import timedelta

import pytest

from yongxu.orders.models import OrderStatus
from yongxu.payments.tests.conftest import BOUGHT, buy, money_state

pytestmark = pytest.mark.django_db
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"


def _url(order, payment) -> str:
    return f"/o/{order.token}/pay/{payment.reference}/"


def test_page_shows_the_qr_code_amount_and_time_left(alipay, product, client, clock):
    order, payment = buy(product, provider="alipay")
    clock.move_to(BOUGHT + timedelta(minutes=1, seconds=5), tick=False)

    page = client.get(_url(order, payment)).content.decode()

    assert '<svg' in page and 'viewBox="0 0' in page
    assert "9.99 CNY" in page
    left = int((order.expires_at - BOUGHT).total_seconds()) - 65
    assert f"Time left: {left // 60}:{left % 60:02d}" in page
    assert f'hx-get="{_url(order, payment)}"' in page and 'hx-trigger="every 3s"' in page
    assert "alipays://" not in page
    assert alipay.server.seen[-1].body.count(b"alipay.trade.precreate") == 1


def test_phones_get_an_open_in_the_app_link(alipay, product, client):
    order, payment = buy(product, provider="alipay")

    page = client.get(_url(order, payment), HTTP_USER_AGENT=PHONE).content.decode()

    assert ('href="alipays://platformapi/startapp?saId=10000007&amp;qrcode=https%3A%2F%2Fqr.alipay.com%2Fbax00001"'
            in page)


def test_usdt_page_shows_the_exact_crypto_amount_and_address(epusdt, product, client):
    order, payment = buy(product, provider="epusdt")

    page = client.get(_url(order, payment)).content.decode()

    assert "1.3901 USDT" in page and "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE" in page


def test_polling_asks_the_gateway_and_ends_on_the_order_page_once_paid(alipay, product, client, clock,
                                                                        django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="alipay")
    first = client.get(_url(order, payment), HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and 'id="pay-status"' in first.content.decode()
    alipay.paid(payment)
    clock.shift(timedelta(seconds=3))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_url(order, payment), HTTP_HX_REQUEST="true")

    assert (response.status_code, response["HX-Redirect"]) == (204, f"/o/{order.token}/")
    assert money_state(order).order_status == OrderStatus.DELIVERED
    assert client.get(_url(order, payment))["Location"] == f"/o/{order.token}/"


def test_polls_within_three_seconds_do_not_ask_the_gateway_again(alipay, product, client, clock):
    order, payment = buy(product, provider="alipay")
    asked = len(alipay.server.seen)

    client.get(_url(order, payment), HTTP_HX_REQUEST="true")
    client.get(_url(order, payment), HTTP_HX_REQUEST="true")

    assert len(alipay.server.seen) == asked + 1


def test_another_orders_token_finds_nothing(alipay, product, client):
    order, payment = buy(product, provider="alipay")
    other, _ = buy(product, provider="alipay")

    assert client.get(f"/o/{other.token}/pay/{payment.reference}/").status_code == 404
