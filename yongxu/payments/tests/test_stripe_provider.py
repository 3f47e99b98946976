"""Stripe webhooks: signatures made by Stripe's own library are accepted, forgeries and replays are not,
and a checkout.session.completed event delivers the order through the notify endpoint."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from stripe import WebhookSignature

from yongxu.conftest import mails
from yongxu.ops.models import Alert, AlertKind
from yongxu.orders.models import OrderStatus
from yongxu.payments.models import NotificationOutcome, PaymentSource
from yongxu.payments.providers.base import InvalidNotification
from yongxu.payments.providers.stripe import verify_signature
from yongxu.payments.tests.conftest import STRIPE_NOTIFY, STRIPE_WEBHOOK_SECRET, buy, last_notification, money_state

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
STAMP = int(NOW.timestamp())
BODY = '{"id": "evt_1", "type": "checkout.session.completed"}'


def _verify(body: str, header: str, *, at: datetime = NOW, secret: str = STRIPE_WEBHOOK_SECRET) -> None:
    with time_machine.travel(at, tick=False):
        verify_signature(body.encode(), header, secret, tolerance=300)


def test_signature_from_stripe_library_is_accepted():
    _verify(BODY, WebhookSignature.generate_signature_header(BODY, STRIPE_WEBHOOK_SECRET, timestamp=STAMP))


def test_one_matching_v1_among_several_is_enough():
    right = WebhookSignature.generate_signature_header(BODY, STRIPE_WEBHOOK_SECRET, timestamp=STAMP)
    old = WebhookSignature.generate_signature_header(BODY, "whsec_rolled_secret", timestamp=STAMP)

    _verify(BODY, f"{old},v1={'0' * 64},{right.split(',')[1]},v0=deadbeef")


@pytest.mark.parametrize("seconds", [-299, 299])
def test_timestamp_within_tolerance_is_accepted(seconds):
    header = WebhookSignature.generate_signature_header(BODY, STRIPE_WEBHOOK_SECRET, timestamp=STAMP)

    _verify(BODY, header, at=NOW + timedelta(seconds=seconds))


@pytest.mark.parametrize("seconds", [-301, 301, 86400])
def test_timestamp_outside_tolerance_is_refused(seconds):
    header = WebhookSignature.generate_signature_header(BODY, STRIPE_WEBHOOK_SECRET, timestamp=STAMP)

    with pytest.raises(InvalidNotification, match="outside the tolerance"):
        _verify(BODY, header, at=NOW + timedelta(seconds=seconds))


def test_wrong_secret_is_refused():
    header = WebhookSignature.generate_signature_header(BODY, "whsec_someone_else", timestamp=STAMP)

    with pytest.raises(InvalidNotification, match="no v1 signature matches"):
        _verify(BODY, header)


def test_altered_body_is_refused():
    header = WebhookSignature.generate_signature_header(BODY, STRIPE_WEBHOOK_SECRET, timestamp=STAMP)

    with pytest.raises(InvalidNotification, match="no v1 signature matches"):
        _verify(BODY.replace("evt_1", "evt_2"), header)


def test_signature_moved_to_another_timestamp_is_refused():
    signature = WebhookSignature.generate_signature_header(BODY, STRIPE_WEBHOOK_SECRET, timestamp=STAMP).split(",")[1]

    with pytest.raises(InvalidNotification, match="no v1 signature matches"):
        _verify(BODY, f"t={STAMP + 60},{signature}")


@pytest.mark.parametrize("header", ["", "t=,v1=abc", f"t={STAMP}", "v1=abc", f"t=-{STAMP},v1=abc", "garbage"])
def test_malformed_header_is_refused(header):
    with pytest.raises(InvalidNotification, match="malformed"):
        _verify(BODY, header)


def _checkout_event(payment, *, amount_total: int, event_type: str = "checkout.session.completed") -> str:
    return json.dumps({"id": "evt_1", "type": event_type, "data": {"object": {
        "id": payment.gateway_session, "object": "checkout.session", "client_reference_id": payment.reference,
        "amount_total": amount_total, "currency": "cny", "payment_status": "paid", "payment_intent": "pi_3Yongxu"}}})


def _post_event(client, body: str, *, secret: str = STRIPE_WEBHOOK_SECRET):
    header = WebhookSignature.generate_signature_header(body, secret)
    return client.post(STRIPE_NOTIFY, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


@pytest.mark.django_db
def test_checkout_session_completed_delivers_the_order(client, product, stripe_enabled,
                                                       django_capture_on_commit_callbacks, mailoutbox):
    order, payment = buy(product, quantity=1, provider="stripe")

    with django_capture_on_commit_callbacks(execute=True):
        response = _post_event(client, _checkout_event(payment, amount_total=999))

    assert (response.status_code, response.content) == (200, b'{"received": true}')
    assert response["Content-Type"] == "application/json"
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_trade_no, payment.source) == ("succeeded", "pi_3Yongxu", PaymentSource.NOTIFY)
    assert money_state(order).order_status == OrderStatus.DELIVERED
    assert money_state(order).keys_sold == 1
    assert [message.to for message in mails(mailoutbox, "orders/email/delivered")] == [["buyer@example.com"]]
    assert last_notification().outcome == NotificationOutcome.APPLIED
    assert last_notification().headers["stripe-signature"].startswith("t=")
    session = stripe_enabled.stripe_sessions[payment.gateway_session]
    assert (session["form"]["line_items[0][price_data][unit_amount]"], session["form"]["client_reference_id"]) == (
        "999", payment.reference)


@pytest.mark.django_db
def test_event_signed_with_another_secret_is_refused(client, product, stripe_enabled):
    order, payment = buy(product, provider="stripe")
    before = money_state(order)

    response = _post_event(client, _checkout_event(payment, amount_total=999), secret="whsec_forger")

    assert (response.status_code, response.content) == (200, b'{"received": true}')
    assert money_state(order) == before
    assert last_notification().outcome == NotificationOutcome.REJECTED
    assert Alert.objects.filter(kind=AlertKind.BAD_NOTIFICATION).count() == 1


@pytest.mark.django_db
def test_completed_session_for_one_cent_is_refused(client, product, stripe_enabled):
    order, payment = buy(product, provider="stripe")
    before = money_state(order)

    response = _post_event(client, _checkout_event(payment, amount_total=1))

    assert response.status_code == 200
    assert money_state(order) == before
    assert (last_notification().outcome, last_notification().payment) == (NotificationOutcome.REJECTED, payment)


@pytest.mark.django_db
def test_other_event_types_are_stored_and_ignored(client, product, stripe_enabled):
    order, payment = buy(product, provider="stripe")
    before = money_state(order)

    response = _post_event(client, _checkout_event(payment, amount_total=999, event_type="checkout.session.expired"))

    assert response.status_code == 200
    assert money_state(order) == before
    assert last_notification().outcome == NotificationOutcome.IGNORED
