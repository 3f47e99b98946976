"""Shared steps for the simulated gateways (Alipay, epusdt, WeChat Pay): point the shop's provider at the
simulator on the live server, then buy and reach the simulator's pay page the way a buyer does."""

from urllib.parse import urlsplit

from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.models import Payment
from yongxu.payments.simulator.models import SimulatedTrade
from yongxu.payments.tests.conftest import MoneyState

DELIVERED_ONE = MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0, stock_available=4,
                           payments_succeeded=1, buyer_emails=1)
# The provider setting that holds the gateway's address, and the simulator's path for it.
GATEWAY_ADDRESS = {
    "alipay": ("gateway_url", "/simulator/alipay/gateway.do"),
    "epusdt": ("api_base", "/simulator/epusdt"),
    "wechat": ("api_base", "/simulator/wechat"),
}


def point_at_simulator(settings, base_url: str, protocol: str) -> str:
    key, path = GATEWAY_ADDRESS[protocol]
    settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, protocol: {
        **settings.YONGXU_PAYMENT_PROVIDERS[protocol], key: f"{base_url}{path}"}}
    return base_url


def buy_and_reach_the_simulator(client, product, base_url: str, protocol: str) -> tuple[Order, Payment, SimulatedTrade]:
    """Buy one unit with ``protocol``, land on the shop's QR page, follow its DEMO SIMULATOR link."""
    response = client.post(f"/p/{product.slug}/buy/", {"quantity": "1", "email": "buyer@example.com",
                                                       "provider": protocol})
    order = Order.objects.get()
    payment = Payment.objects.get(order=order, provider=protocol)
    shop_page = f"/o/{order.token}/pay/{payment.reference}/"
    assert (response.status_code, response["Location"]) == (302, shop_page)
    page = client.get(shop_page).content.decode()
    trade = SimulatedTrade.objects.get(protocol=protocol)
    scan = f"{base_url}/simulator/{protocol}/pay/{trade.trade_no}/"
    assert payment.qr_payload == scan and f'href="{scan}"' in page and "DEMO SIMULATOR" in page
    assert "DEMO SIMULATOR" in client.get(urlsplit(scan).path).content.decode()
    assert (trade.out_trade_no, trade.money, trade.notify_url) == (
        payment.reference, "9.99", f"{base_url}/pay/notify/{protocol}/")
    return order, payment, trade
