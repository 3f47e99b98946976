"""人工确认支付: staff confirm money they can see at the gateway; it goes through the same apply path,
is audit-logged, and can never deliver an order twice."""

from dataclasses import replace
from datetime import timedelta

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.orders.services import expire_orders
from yongxu.payments.models import NotificationOutcome, Payment, PaymentSource, PaymentStatus
from yongxu.payments.services import CannotPay, PaymentError, PaymentMismatch, confirm_payment_manually
from yongxu.payments.tests.conftest import MoneyState, buy, epay_notification, last_notification, money_state

pytestmark = pytest.mark.django_db
DELIVERED_TWO = MoneyState(order_status=OrderStatus.DELIVERED, keys_sold=2, keys_reserved=0, stock_available=3,
                           payments_succeeded=1, buyer_emails=1)


@pytest.fixture
def confirm(django_capture_on_commit_callbacks, merchant):
    def confirm(order, trade_no: str = "2025ALIPAY0001", reason: str = "Seen in the Alipay merchant portal"):
        with django_capture_on_commit_callbacks(execute=True):
            return confirm_payment_manually(order, trade_no=trade_no, reason=reason, actor=merchant)

    return confirm


def test_manual_confirmation_delivers_and_is_audited(confirm, product):
    order, epay_attempt = buy(product, quantity=2)

    result = confirm(order, trade_no=" 2025ALIPAY0001 ", reason="  Buyer sent the receipt; seen in Alipay  ")

    assert result.applied is True
    assert money_state(order) == DELIVERED_TWO
    manual = Payment.objects.get(pk=result.payment.pk)
    assert (manual.provider, manual.status, manual.source, manual.gateway_trade_no, manual.note, manual.amount) == (
        "manual", PaymentStatus.SUCCEEDED, PaymentSource.MANUAL, "manual:2025ALIPAY0001",
        "Buyer sent the receipt; seen in Alipay", order.amount)
    assert Payment.objects.get(pk=epay_attempt.pk).status == PaymentStatus.CREATED
    entry = AuditEntry.objects.get(action="payment.manual_confirmation")
    assert (entry.actor, entry.subject_id, entry.data) == ("user:merchant", str(manual.pk), {
        "order": order.number, "trade_no": "2025ALIPAY0001", "reason": "Buyer sent the receipt; seen in Alipay"})
    assert AuditEntry.objects.get(action="payment.applied").actor == "user:merchant"


def test_confirming_a_paid_order_is_refused(confirm, product):
    order, _ = buy(product, quantity=2)
    confirm(order)

    with pytest.raises(CannotPay) as refused:
        confirm(order, trade_no="2025ALIPAY0002")

    assert refused.value.code == "already_paid"
    assert money_state(order) == DELIVERED_TWO
    assert Payment.objects.filter(order=order, provider="manual").count() == 1


@pytest.mark.parametrize(("trade_no", "reason"), [("", "seen in Alipay"), ("2025ALIPAY0001", "   ")])
def test_confirmation_needs_a_trade_number_and_a_reason(confirm, product, trade_no, reason):
    order, _ = buy(product)
    before = money_state(order)

    with pytest.raises(PaymentError) as refused:
        confirm(order, trade_no=trade_no, reason=reason)

    assert refused.value.code == "manual_confirm_incomplete"
    assert money_state(order) == before
    assert AuditEntry.objects.filter(action__startswith="payment.manual").count() == 0


def test_one_gateway_trade_cannot_confirm_two_orders(confirm, product):
    first, _ = buy(product, email="first@example.com")
    second, _ = buy(product, email="second@example.com")
    confirm(first, trade_no="2025ALIPAY0009")
    before = money_state(second)

    with pytest.raises(PaymentMismatch):
        confirm(second, trade_no="2025ALIPAY0009")

    assert money_state(second) == before
    assert Payment.objects.filter(order=second, provider="manual").count() == 0
    assert AuditEntry.objects.filter(action="payment.manual_confirmation").count() == 1


def test_callback_after_manual_confirmation_does_not_deliver_twice(confirm, notify, product):
    order, epay_attempt = buy(product, quantity=2)
    confirm(order)

    response = notify(epay_notification(epay_attempt))

    assert response.content == b"success"
    assert money_state(order) == replace(DELIVERED_TWO, payments_succeeded=2)  # the second one is to refund
    assert list(Alert.objects.values_list("kind", "subject_ref")) == [(AlertKind.DOUBLE_PAYMENT, order.number)]
    assert last_notification().outcome == NotificationOutcome.APPLIED
    assert AuditEntry.objects.filter(action="order.delivered").count() == 1


def test_manual_confirmation_revives_an_expired_order(clock, confirm, product):
    order, _ = buy(product, quantity=2)
    clock.shift(timedelta(hours=2))
    expire_orders()

    confirm(order)

    assert money_state(order) == DELIVERED_TWO
