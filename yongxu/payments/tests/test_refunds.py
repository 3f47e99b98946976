"""Refunds: full or partial, through the gateway's refund API where it has one, else recorded as manual;
idempotent by request id, never above the payment, audit-logged, e-mailed to the buyer; an admin form."""

from datetime import timedelta
from decimal import Decimal

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.core import clock
from yongxu.payments.models import Refund, RefundStatus
from yongxu.payments.services import RefundError, confirm_payment_manually, follow_up_refunds, query_payment, refund_payment
from yongxu.payments.tests.conftest import buy

pytestmark = pytest.mark.django_db
STAFF = "staff:merchant"


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def paid(alipay, product, capture):
    order, payment = buy(product, provider="alipay")
    alipay.paid(payment, trade_no="2025050122001433333")
    with capture():
        query_payment(payment, force=True)
    payment.refresh_from_db()
    return payment


def _refund_emails(mailoutbox):
    return [message for message in mailoutbox if message.extra_headers.get("X-Yongxu-Template") == "payments/email/refund"]


def test_full_refund_goes_through_the_gateway_is_audited_and_emailed(paid, alipay, capture, mailoutbox):
    with capture():
        refund = refund_payment(paid, amount=Decimal("9.99"), reason="could not deliver", actor=STAFF, request_id="RF-A")

    assert (refund.status, refund.amount, refund.gateway_refund_id) == (RefundStatus.SUCCEEDED, Decimal("9.99"),
                                                                        "2025050122001433333:RF-A")
    assert alipay.refunds["RF-A"]["refund_fee"] == "9.99"
    entry = AuditEntry.objects.get(action="payment.refunded")
    assert (entry.actor, entry.data["request_id"], entry.data["amount"]) == (STAFF, "RF-A", "9.99")
    [email] = _refund_emails(mailoutbox)
    assert email.to == ["buyer@example.com"] and "9.99 CNY" in email.body and "could not deliver" in email.body


def test_same_request_twice_refunds_once(paid, alipay, capture, mailoutbox):
    with capture():
        first = refund_payment(paid, amount=Decimal("3.00"), reason="partial", actor=STAFF, request_id="RF-B")
    calls = len(alipay.server.seen)
    with capture():
        again = refund_payment(paid, amount=Decimal("3.00"), reason="partial", actor=STAFF, request_id="RF-B")

    assert first.pk == again.pk
    assert (Refund.objects.count(), len(alipay.server.seen), len(_refund_emails(mailoutbox))) == (1, calls, 1)


def test_partial_refunds_never_exceed_the_payment(paid, alipay, capture):
    refund_payment(paid, amount=Decimal("6.00"), reason="partial", actor=STAFF)
    calls = len(alipay.server.seen)

    with pytest.raises(RefundError) as refused:
        refund_payment(paid, amount=Decimal("4.00"), reason="too much", actor=STAFF)

    assert refused.value.code == "refund_exceeds_payment"
    assert (Refund.objects.count(), len(alipay.server.seen)) == (1, calls)
    assert refund_payment(paid, amount=Decimal("3.99"), reason="the rest", actor=STAFF).status == RefundStatus.SUCCEEDED


def test_request_id_reused_for_another_amount_is_refused(paid):
    refund_payment(paid, amount=Decimal("1.00"), reason="partial", actor=STAFF, request_id="RF-C")

    with pytest.raises(RefundError) as refused:
        refund_payment(paid, amount=Decimal("2.00"), reason="partial", actor=STAFF, request_id="RF-C")
    assert refused.value.code == "refund_id_reused"


def test_a_gateway_that_does_not_answer_leaves_it_requested_and_the_follow_up_asks_again(paid, alipay, capture,
                                                                                      mailoutbox, time_machine):
    alipay.server.fail_with = 500  # no answer we can trust: it may or may not have been made
    with pytest.raises(RefundError) as pending:
        refund_payment(paid, amount=Decimal("9.99"), reason="no stock", actor=STAFF, request_id="RF-D")
    assert pending.value.code == "refund_pending"
    assert Refund.objects.get().status == RefundStatus.REQUESTED
    assert follow_up_refunds() == 0  # too recent: the staff member's own request may still be on its way

    alipay.server.fail_with = None
    time_machine.move_to(clock.now() + timedelta(minutes=3), tick=False)
    with capture():
        assert follow_up_refunds() == 1

    refund = Refund.objects.get()
    assert (refund.status, refund.request_id, len(_refund_emails(mailoutbox))) == (RefundStatus.SUCCEEDED, "RF-D", 1)
    assert all(b"RF-D" in seen.body for seen in alipay.server.seen[-2:])  # asked again as the same refund


def test_gateway_without_a_refund_api_is_recorded_as_manual(product, gateway, capture, mailoutbox):
    order, payment = buy(product)
    with capture():
        confirm_payment_manually(order, trade_no="2025EPAY1", reason="seen in the Epay panel", actor=STAFF)
    manual = order.payments.get(provider="manual")

    with capture():
        refund = refund_payment(manual, amount=Decimal("9.99"), reason="duplicate order", actor=STAFF)

    assert refund.status == RefundStatus.MANUAL
    assert "send the money back to you directly" in _refund_emails(mailoutbox)[0].body
    assert gateway.requests == []


def test_unpaid_payment_cannot_be_refunded(alipay, product):
    order, payment = buy(product, provider="alipay")

    with pytest.raises(RefundError) as refused:
        refund_payment(payment, amount=Decimal("1.00"), reason="?", actor=STAFF)
    assert (refused.value.code, Refund.objects.count()) == ("not_paid", 0)


def test_admin_refund_form(paid, admin_client, alipay, capture):
    url = f"/admin/payments/payment/{paid.pk}/refund/"
    assert 'name="request_id"' in admin_client.get(url).content.decode()

    with capture():
        response = admin_client.post(url, {"amount": "2.50", "reason": "late delivery", "request_id": "RF-ADMIN"})

    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.request_id, refund.amount, refund.created_by) == ("RF-ADMIN", Decimal("2.50"), "staff:admin")
    assert "RF-ADMIN" in admin_client.get(f"/admin/payments/payment/{paid.pk}/change/").content.decode()


def test_staff_without_the_refund_permission_cannot_refund(paid, client, merchant):
    client.force_login(merchant)

    response = client.post(f"/admin/payments/payment/{paid.pk}/refund/", {"amount": "1.00", "reason": "x",
                                                                           "request_id": "RF-NO"})

    assert (response.status_code, Refund.objects.count()) == (403, 0)
