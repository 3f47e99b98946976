"""Nothing a forger (or a misbehaving gateway) sends can flood the merchant: alerts coalesce per cause with
a count, each kind is e-mailed at most once at once per window plus one digest at its end, and refused
callbacks are stored within a size cap and forgotten after the retention period."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest

from yongxu.ops.models import Alert, AlertKind
from yongxu.outbox import services as outbox
from yongxu.payments.models import NotificationOutcome, PaymentNotification
from yongxu.payments.services import prune_notifications
from yongxu.payments.tests.conftest import EPAY_NOTIFY, buy, epay_notification

pytestmark = pytest.mark.django_db


def merchant_mails(mailoutbox, settings):
    return [m for m in mailoutbox if m.to == settings.MERCHANT_EMAILS]


def forge(client, payment, n: int, *, padding: str = ""):
    for i in range(n):
        params = {**epay_notification(payment), "money": "0.01", "sign": f"{i:032d}", "param": padding}
        assert client.post(EPAY_NOTIFY, urlencode(params), content_type="application/x-www-form-urlencoded").content == b"success"


def test_two_hundred_forgeries_are_one_alert_and_at_most_two_emails(client, product, mailoutbox, settings, time_machine):
    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)
    _order, payment = buy(product)
    forge(client, payment, 200)

    [alert] = Alert.objects.filter(kind=AlertKind.BAD_NOTIFICATION)
    assert (alert.subject_ref, alert.count) == ("forged:epay", 200)
    outbox.drain()
    assert len(merchant_mails(mailoutbox, settings)) == 1  # the first, at once

    time_machine.shift(timedelta(minutes=settings.YONGXU_ALERT_COALESCE_MINUTES))
    outbox.drain()

    [first, digest] = merchant_mails(mailoutbox, settings)
    assert "200 ×" in digest.body


def test_a_wrong_amount_retried_five_times_is_one_alert(client, product, mailoutbox, settings):
    _order, payment = buy(product)
    params = epay_notification(payment, money="0.01")  # correctly signed, wrong amount: the gateway retries it
    for _ in range(5):
        client.post(EPAY_NOTIFY, urlencode(params), content_type="application/x-www-form-urlencoded")

    [alert] = Alert.objects.filter(kind=AlertKind.BAD_NOTIFICATION)
    assert (alert.subject_ref, alert.count) == (payment.reference, 5)
    outbox.drain()
    assert len(merchant_mails(mailoutbox, settings)) == 1


def test_a_refused_callback_keeps_only_its_first_kilobyte(client, product):
    _order, payment = buy(product)

    forge(client, payment, 1, padding="x" * 60_000)

    stored = PaymentNotification.objects.get()
    assert stored.outcome == NotificationOutcome.REJECTED
    assert len(stored.body) == 1024


def test_refused_callbacks_are_forgotten_after_the_retention_period(client, product, settings, time_machine):
    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)
    order, payment = buy(product)
    forge(client, payment, 3)
    client.post(EPAY_NOTIFY, urlencode(epay_notification(payment)), content_type="application/x-www-form-urlencoded")

    time_machine.shift(timedelta(days=settings.YONGXU_NOTIFY_RETENTION_DAYS, seconds=1))
    assert prune_notifications() == 3

    [kept] = PaymentNotification.objects.all()
    assert kept.outcome == NotificationOutcome.APPLIED
