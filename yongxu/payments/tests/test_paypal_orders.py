"""PayPal Orders v2 over real HTTP to a fake on loopback: the order is created and the buyer sent to
approve it; the return (active query) or reconciliation captures it exactly once; refunds carry their
request id; by default webhook certificates come only from PayPal's own hosts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings

from yongxu.orders.models import OrderStatus
from yongxu.payments.models import Payment, PaymentSource
from yongxu.payments.providers.base import InvalidNotification
from yongxu.payments.providers.paypal import PayPalProvider
from yongxu.payments.registry import get_provider
from yongxu.payments.services import query_payment, reconcile, start_payment
from yongxu.payments.tests.conftest import BOUGHT, buy, money_state

pytestmark = pytest.mark.django_db


def test_order_is_created_and_the_buyer_sent_to_approve_it(paypal, product):
    order, payment = buy(product, provider="paypal")
    again = start_payment(order, "paypal")

    payment.refresh_from_db()
    assert payment.gateway_session == "5O190127TN3647100"
    assert again.redirect_url == "https://www.paypal.com/checkoutnow?token=5O190127TN3647101"
    unit = paypal.orders["5O190127TN3647100"]["request"]["purchase_units"][0]
    assert (unit["custom_id"], unit["amount"]) == (payment.reference, {"currency_code": "CNY", "value": "9.99"})
    assert paypal.request_ids[0] == f"create-{payment.reference}"


def test_return_after_approval_captures_and_delivers(paypal, product, client, django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()
    paypal.approved(payment)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/o/{order.token}/return/", {"ref": payment.reference})

    payment.refresh_from_db()
    assert (payment.status, payment.gateway_trade_no, payment.source) == ("succeeded", "CAP5O190127TN3647100",
                                                                          PaymentSource.QUERY)
    assert money_state(order).order_status == OrderStatus.DELIVERED
    assert paypal.request_ids[-1] == f"capture-{payment.reference}"


def test_query_before_approval_changes_nothing(paypal, product):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()
    before = money_state(order)

    assert query_payment(payment, force=True) is False
    assert money_state(order) == before


def test_approved_order_for_another_amount_is_not_applied(paypal, product):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()
    paypal.approved(payment, value="0.99")
    before = money_state(order)

    assert query_payment(payment, force=True) is False
    assert money_state(order) == before


def test_reconcile_captures_an_order_whose_buyer_never_came_back(paypal, product, clock, django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()
    paypal.approved(payment)
    clock.move_to(BOUGHT + timedelta(minutes=5), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile() == 1

    assert (Payment.objects.get(pk=payment.pk).source, money_state(order).order_status) == (
        PaymentSource.RECONCILE, OrderStatus.DELIVERED)


def test_refund_of_the_capture_carries_the_request_id(paypal, product):
    order, payment = buy(product, provider="paypal")
    payment.refresh_from_db()
    paypal.approved(payment)
    query_payment(payment, force=True)
    payment.refresh_from_db()

    result = get_provider("paypal").refund(payment, amount=Decimal("4.00"), request_id="RF-3", reason="partial")

    assert (result.refund_id, result.done) == ("1JU08902781691000", True)
    assert paypal.refunds["RF-3"] == {"id": "1JU08902781691000", "status": "COMPLETED", "capture": "CAP5O190127TN3647100",
                                      "amount": {"value": "4.00", "currency_code": "CNY"}}


@pytest.mark.parametrize("url", ["http://api.paypal.com/v1/notifications/certs/C", "https://127.0.0.1/certs/C",
                                 "https://api.paypal.com.evil.example/certs/C", "https://evil.example/?https://api.paypal.com/"])
def test_by_default_only_paypals_own_hosts_are_trusted_for_certificates(url):
    provider = PayPalProvider("paypal", dict(django_settings.YONGXU_PAYMENT_PROVIDERS["paypal"]))

    with pytest.raises(InvalidNotification, match="not on PayPal's host"):
        provider._certificate(url)
