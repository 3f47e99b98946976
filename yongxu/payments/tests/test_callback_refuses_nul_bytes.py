"""A gateway callback carrying a NUL byte — in its query, its form, its JSON or its raw body — is refused
with a plain-text 400 before anything is stored (PostgreSQL cannot store it; it used to be a 500 with the
raw request lost anyway), and changes nothing; the genuine callback after it is applied as usual. A callback
in another charset is not refused: it is stored as it came and its signature decides."""

import json
from urllib.parse import urlencode

import pytest

from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, PaymentNotification
from yongxu.payments.tests.conftest import EPAY_NOTIFY, STRIPE_NOTIFY, buy, epay_notification, last_notification, money_state

pytestmark = pytest.mark.django_db


def assert_refused(response) -> None:
    assert (response.status_code, response.content, response["Content-Type"]) == (
        400, b"bad_input", "text/plain; charset=utf-8")


def test_nul_bytes_are_refused_and_store_nothing(client, product):
    order, payment = buy(product)
    before = money_state(order)
    signed = epay_notification(payment)
    poisoned = {**signed, "name": "点卡\x00"}

    answers = [
        client.get(EPAY_NOTIFY, poisoned),
        client.post(EPAY_NOTIFY, urlencode(poisoned), content_type="application/x-www-form-urlencoded"),
        client.post(EPAY_NOTIFY, poisoned),  # multipart/form-data
        client.post(EPAY_NOTIFY, b"out_trade_no=" + payment.reference.encode() + b"\x00",
                    content_type="application/x-www-form-urlencoded"),
        client.post(STRIPE_NOTIFY, json.dumps({"id": "evt_1", "type": "checkout.session.completed\u0000"}),
                    content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=00"),
        client.post(STRIPE_NOTIFY, b'{"id": "evt\x00"}', content_type="application/json"),
    ]

    for response in answers:
        assert_refused(response)
    assert PaymentNotification.objects.count() == 0
    assert money_state(order) == before

    applied = client.post(EPAY_NOTIFY, urlencode(signed), content_type="application/x-www-form-urlencoded")

    assert (applied.status_code, applied.content) == (200, b"success")
    assert last_notification().outcome == NotificationOutcome.APPLIED
    assert money_state(order).order_status == OrderStatus.DELIVERED


def test_a_callback_in_another_charset_is_stored_not_refused(client, product):
    order, payment = buy(product)
    before = money_state(order)
    gbk = urlencode({**epay_notification(payment), "name": "点卡"}, encoding="gbk")

    response = client.post(EPAY_NOTIFY, gbk, content_type="application/x-www-form-urlencoded")

    assert (response.status_code, response.content) == (200, b"success")
    assert (last_notification().outcome, last_notification().body) == (NotificationOutcome.REJECTED, gbk)
    assert money_state(order) == before
