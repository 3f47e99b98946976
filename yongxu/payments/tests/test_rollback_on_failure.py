"""When we fail while applying a payment (the database hiccups, the worker dies mid-delivery), the whole
apply rolls back, the gateway is asked to retry, and the retry delivers exactly once. Real transactions."""

from unittest import mock

import pytest
from django.db import OperationalError

from yongxu.audit.models import AuditEntry
from yongxu.inventory import services as inventory
from yongxu.orders import services as orders
from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, PaymentNotification
from yongxu.payments.tests.conftest import EPAY_NOTIFY, MoneyState, buy, dies_after, epay_notification, flaky, money_state

pytestmark = pytest.mark.django_db(transaction=True)

PENDING_TWO_KEYS = MoneyState(order_status=OrderStatus.PENDING, keys_sold=0, keys_reserved=2, stock_available=3,
                              payments_succeeded=0, buyer_emails=0)
DELIVERED_TWO_KEYS = MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=2, keys_reserved=0, stock_available=3,
                                payments_succeeded=1, buyer_emails=1)


def _outcomes() -> list[tuple[str, str]]:
    return list(PaymentNotification.objects.order_by("pk").values_list("outcome", "detail"))


def test_database_failure_asks_the_gateway_to_retry_and_the_retry_applies_once(client, product):
    order, payment = buy(product, quantity=2)
    params = epay_notification(payment)
    db_fails_once = flaky(orders.settle_order, OperationalError("could not serialize access"))

    with mock.patch("yongxu.payments.services.settle_order", side_effect=db_fails_once):
        failed = client.get(EPAY_NOTIFY, params)
        assert (failed.status_code, failed.content) == (503, b"fail")
        assert money_state(order) == PENDING_TWO_KEYS
        assert AuditEntry.objects.filter(action__in=["payment.applied", "order.paid"]).count() == 0

        retried = client.get(EPAY_NOTIFY, params)

    assert (retried.status_code, retried.content) == (200, b"success")
    assert money_state(order) == DELIVERED_TWO_KEYS
    assert _outcomes() == [(NotificationOutcome.FAILED, "OperationalError"), (NotificationOutcome.APPLIED, "")]
    assert client.get(EPAY_NOTIFY, params).content == b"success"
    assert money_state(order) == DELIVERED_TWO_KEYS


def test_worker_killed_mid_delivery_rolls_back_everything(client, product):
    order, payment = buy(product, quantity=2)
    params = epay_notification(payment)

    killed = dies_after(inventory.sell_keys, SystemError("worker killed after selling the keys"))

    with mock.patch("yongxu.inventory.services.sell_keys", side_effect=killed) as sell_keys:
        response = client.get(EPAY_NOTIFY, params)

    assert sell_keys.call_count == 1
    assert (response.status_code, response.content) == (503, b"fail")
    assert money_state(order) == PENDING_TWO_KEYS  # the keys sold above went back to the reservation
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_trade_no, payment.succeeded_at) == ("created", None, None)
    assert AuditEntry.objects.filter(action__in=["payment.applied", "order.paid", "order.delivered"]).count() == 0

    retried = client.get(EPAY_NOTIFY, params)

    assert retried.content == b"success"
    assert money_state(order) == DELIVERED_TWO_KEYS
    assert AuditEntry.objects.filter(action="order.delivered").count() == 1
    assert _outcomes() == [(NotificationOutcome.FAILED, "SystemError"), (NotificationOutcome.APPLIED, "")]
