"""A payment is applied exactly once: replays change nothing, a gateway trade pays one payment only,
concurrent deliveries of the same callback deliver once, and an order paid twice is delivered once."""

import threading

import pytest
from django.db import connection

from yongxu.audit.models import AuditEntry
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, PaymentNotification, PaymentSource
from yongxu.payments.services import ApplyResult, PaymentMismatch, apply_payment
from yongxu.payments.tests.conftest import (
    MoneyState,
    buy,
    epay_notification,
    last_notification,
    money_state,
    pay_again,
)


def _apply(payment, trade_no: str) -> ApplyResult:
    return apply_payment(payment.pk, trade_no=trade_no, amount=payment.amount, currency="CNY",
                         source=PaymentSource.NOTIFY, actor="gateway:epay")


@pytest.mark.django_db
def test_replayed_notification_changes_nothing(notify, product):
    order, payment = buy(product)
    params = epay_notification(payment)
    notify(params)
    delivered = money_state(order)

    response = notify(params)

    assert (response.status_code, response.content) == (200, b"success")
    assert delivered == MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=1, keys_reserved=0, stock_available=4,
                                   payments_succeeded=1, buyer_emails=1)
    assert money_state(order) == delivered
    assert list(PaymentNotification.objects.order_by("pk").values_list("outcome", flat=True)) == [
        NotificationOutcome.APPLIED, NotificationOutcome.DUPLICATE]
    assert AuditEntry.objects.filter(action="order.delivered").count() == 1


@pytest.mark.django_db
def test_apply_twice_returns_applied_once(product):
    order, payment = buy(product)

    first, second = _apply(payment, "T-1"), _apply(payment, "T-1")

    assert (first.applied, second.applied) == (True, False)
    assert AuditEntry.objects.filter(action="payment.applied").count() == 1
    assert money_state(order).keys_sold == 1


@pytest.mark.django_db
def test_paid_payment_claimed_by_another_trade_is_refused(notify, product):
    order, payment = buy(product)
    notify(epay_notification(payment, trade_no="T-FIRST"))
    delivered = money_state(order)

    response = notify(epay_notification(payment, trade_no="T-SECOND"))

    assert response.content == b"success"
    assert money_state(order) == delivered
    assert last_notification().outcome == NotificationOutcome.REJECTED
    assert last_notification().detail == f"{payment.reference} was already paid by trade T-FIRST, not T-SECOND"
    assert list(Alert.objects.values_list("kind", flat=True)) == [AlertKind.BAD_NOTIFICATION]


@pytest.mark.django_db
def test_one_gateway_trade_cannot_pay_two_payments(notify, product):
    order_a, payment_a = buy(product, email="a@example.com")
    order_b, payment_b = buy(product, email="b@example.com")
    notify(epay_notification(payment_a, trade_no="T-SHARED"))
    before_b = money_state(order_b)

    response = notify(epay_notification(payment_b, trade_no="T-SHARED"))

    assert response.content == b"success"
    assert money_state(order_b) == before_b
    assert before_b.order_status == OrderStatus.PENDING
    assert money_state(order_a).order_status == OrderStatus.DELIVERED
    assert (last_notification().outcome, last_notification().detail) == (
        NotificationOutcome.REJECTED, "trade T-SHARED was already applied to another payment")
    assert list(Alert.objects.values_list("kind", "subject_ref")) == [(AlertKind.BAD_NOTIFICATION, payment_b.reference)]
    with pytest.raises(PaymentMismatch):
        _apply(payment_b, "T-SHARED")


@pytest.mark.django_db
def test_order_paid_by_two_attempts_is_delivered_once(notify, product):
    order, first = buy(product, quantity=2)
    second = pay_again(order)
    notify(epay_notification(first))

    response = notify(epay_notification(second))

    assert response.content == b"success"
    assert money_state(order) == MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=2, keys_reserved=0,
                                            stock_available=3, payments_succeeded=2, buyer_emails=1)
    assert list(Alert.objects.values_list("kind", "subject_ref")) == [(AlertKind.DOUBLE_PAYMENT, order.number)]
    order.refresh_from_db()
    assert order.paid_by_id == first.pk


def _apply_in_thread(payment, start: threading.Barrier, results: list) -> None:
    try:
        start.wait(timeout=10)
        results.append(_apply(payment, "T-RACE").applied)
    except Exception as exc:  # noqa: BLE001 - reported by the assertion on results
        results.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_callback_apply_once(product, mailoutbox):
    order, payment = buy(product, quantity=3)
    start, results = threading.Barrier(4), []
    threads = [threading.Thread(target=_apply_in_thread, args=(payment, start, results)) for _ in range(4)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [False, False, False, True]
    assert money_state(order) == MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=3, keys_reserved=0,
                                            stock_available=2, payments_succeeded=1, buyer_emails=1)
    assert AuditEntry.objects.filter(action="payment.applied").count() == 1
