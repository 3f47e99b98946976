"""A callback that arrives while the database is away is kept on disk and answered 503 (the gateway retries
as well); when the database is back the kept one is applied — once, whichever of it and the gateway's
retry comes first."""

import pytest
from django.test import Client

from yongxu.conftest import database_down
from yongxu.payments import spool
from yongxu.payments.models import NotificationOutcome, PaymentNotification
from yongxu.payments.tests.conftest import EPAY_NOTIFY, buy, epay_notification, money_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway():
    client = Client(raise_request_exception=False)
    client.get("/healthz")  # this node has read the maintenance state
    return client


def test_kept_while_away_and_applied_once_when_back(gateway, product, mailoutbox, django_capture_on_commit_callbacks):
    order, payment = buy(product)
    params = epay_notification(payment)

    with database_down():
        away = gateway.get(EPAY_NOTIFY, params)
    [kept] = spool.waiting()
    assert (away.status_code, away.content) == (503, b"temporarily unavailable, please retry")
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    assert money_state(order).order_status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        spool.replay()  # the minute job, once the database answers
    with django_capture_on_commit_callbacks(execute=True):
        retried = gateway.get(EPAY_NOTIFY, params)  # the gateway's own retry arrives afterwards

    assert (retried.status_code, retried.content) == (200, b"success")
    assert spool.waiting() == []
    state = money_state(order)
    assert (state.order_status, state.payments_succeeded, state.keys_sold, state.buyer_emails) == ("delivered", 1, 1, 1)
    assert sorted(PaymentNotification.objects.values_list("outcome", flat=True)) == sorted(
        [NotificationOutcome.APPLIED, NotificationOutcome.DUPLICATE])


def test_the_next_callback_after_the_outage_brings_the_kept_ones_in(gateway, product):
    first_order, first = buy(product)
    second_order, second = buy(product, email="other@example.com")
    params = epay_notification(first)
    with database_down():
        gateway.get(EPAY_NOTIFY, params)

    gateway.get(EPAY_NOTIFY, epay_notification(second))

    assert spool.waiting() == []
    assert (money_state(first_order).order_status, money_state(second_order).order_status) == ("delivered", "delivered")
