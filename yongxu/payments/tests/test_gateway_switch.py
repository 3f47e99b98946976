"""Each gateway is a capability of its own (``payment:<name>``): closing one takes it out of checkout
with a line saying why, start_payment refuses it, the others keep selling, and its callbacks still apply."""

import pytest

from yongxu.core.capabilities import is_capability
from yongxu.maintenance import services as maintenance
from yongxu.maintenance.services import MaintenanceError
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import place_order
from yongxu.payments.models import Payment
from yongxu.payments.services import CannotPay, start_payment
from yongxu.payments.tests.conftest import buy, money_state
from yongxu.payments.tests.fake_alipay import alipay_notification

pytestmark = pytest.mark.django_db
LINE = "支付宝 Alipay is paused right now (gateway maintenance); please use another payment method."


def _close(name: str):
    return maintenance.close_capabilities([f"payment:{name}"], source="manual", reason="gateway trouble", until=None,
                                          actor="operator:test")


def test_gateway_capability_names_are_valid_and_others_are_not():
    assert (is_capability("payment:alipay"), is_capability("payment"), is_capability("payment:"),
            is_capability("payment:a b"), is_capability("nonsense")) == (True, True, False, False, False)
    with pytest.raises(MaintenanceError):
        maintenance.close_capabilities(["payment:"], source="manual", reason="x", until=None, actor="operator:test")


def test_closed_gateway_is_missing_from_checkout_with_a_line_saying_why(alipay, product, client):
    page = client.get(f"/p/{product.slug}/").content.decode()
    assert 'value="alipay"' in page and LINE not in page

    _close("alipay")
    page = client.get(f"/p/{product.slug}/").content.decode()

    assert 'value="alipay"' not in page and 'value="epay"' in page
    assert LINE in page


def test_closed_gateway_is_missing_from_the_order_page(alipay, product, client):
    order = place_order(product, quantity=1, email="buyer@example.com")
    _close("alipay")

    page = client.get(f"/o/{order.token}/").content.decode()

    assert 'value="alipay"' not in page and 'value="epay"' in page and LINE in page


def test_start_payment_refuses_a_closed_gateway_and_the_others_keep_selling(alipay, product):
    order = place_order(product, quantity=1, email="buyer@example.com")
    _close("alipay")

    with pytest.raises(CannotPay) as refused:
        start_payment(order, "alipay")

    assert refused.value.code == "gateway_closed"
    assert (Payment.objects.filter(order=order).count(), alipay.precreated) == (0, [])
    start_payment(order, "epay")
    assert list(Payment.objects.filter(order=order).values_list("provider", flat=True)) == ["epay"]


def test_callbacks_for_a_closed_gateway_are_still_applied(alipay, product, client, django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="alipay")
    _close("alipay")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/pay/notify/alipay/", alipay_notification(payment))

    assert response.content == b"success"
    assert money_state(order).order_status == OrderStatus.DELIVERED
