"""Update e-mails to confirmed status subscribers go out exactly once each, even when the worker is
killed mid-way and started again (or the same update is announced twice): every (update, address) is
one StatusDelivery row, claimed before sending."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMultiAlternatives

from yongxu.core import clock
from yongxu.maintenance import windows
from yongxu.maintenance.models import WindowUpdate
from yongxu.notices import live, mail
from yongxu.notices.models import DeliveryStatus, StatusDelivery, StatusSubscriber
from yongxu.notices.tasks import announce_update, send_advance_notices
from yongxu.notices.tests.conftest import OPERATOR, schedule

pytestmark = pytest.mark.django_db
FANS = [f"fan{n}@example.com" for n in range(1, 6)]


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing of ours catches it."""


@pytest.fixture
def started(frozen):
    for email in FANS:
        StatusSubscriber.objects.create(email=email, confirmed_at=clock.now())
    window = schedule(starts_in=timedelta(hours=1))
    windows.start_window(window, actor=OPERATOR)  # not committed: the announcement is the test's to run
    return WindowUpdate.objects.get(window=window, kind=WindowUpdate.Kind.STARTED)


def received(mailoutbox) -> list[str]:
    return sorted(message.to[0] for message in mailoutbox)


def test_killed_before_handing_the_third_it_is_sent_once_the_claim_is_stale(started, frozen, mailoutbox, monkeypatch,
                                                                             settings):
    real_build, calls = mail.build, []

    def build(*args, **kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 3:
            raise WorkerKilled
        return real_build(*args, **kwargs)

    monkeypatch.setattr(mail, "build", build)
    with pytest.raises(WorkerKilled):
        announce_update.call_local(started.pk)
    assert received(mailoutbox) == FANS[:2]
    assert StatusDelivery.objects.get(email=FANS[2]).status == DeliveryStatus.SENDING

    announce_update.call_local(started.pk)  # Huey runs it again at once: the third is still claimed
    assert received(mailoutbox) == FANS[:2] + FANS[3:]

    frozen.shift(timedelta(minutes=settings.YONGXU_NOTICE_STALE_MINUTES + 1))
    send_advance_notices.call_local()  # the minute job's sweep
    send_advance_notices.call_local()
    announce_update.call_local(started.pk)

    assert received(mailoutbox) == FANS
    assert StatusDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 5


def test_killed_after_handing_it_over_the_message_is_never_sent_again(started, frozen, mailoutbox, monkeypatch,
                                                                       settings):
    real_send, calls = EmailMultiAlternatives.send, []

    def send(message, *args, **kwargs):
        calls.append(message.to[0])
        if len(calls) == 2:
            real_send(message, *args, **kwargs)  # the server took it; the worker dies before recording it
            raise WorkerKilled
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    with pytest.raises(WorkerKilled):
        live.email_subscribers(started)
    frozen.shift(timedelta(minutes=settings.YONGXU_NOTICE_STALE_MINUTES + 1))
    live.email_subscribers(started)
    live.send_pending()

    assert received(mailoutbox) == FANS
    assert StatusDelivery.objects.get(email=FANS[1]).status == DeliveryStatus.UNKNOWN


def test_an_address_that_left_meanwhile_is_skipped(started, mailoutbox, monkeypatch):
    monkeypatch.setattr(live, "send_pending", lambda **kwargs: 0)
    live.email_subscribers(started)  # queued, then the worker went away
    monkeypatch.undo()
    StatusSubscriber.objects.filter(email=FANS[0]).delete()

    live.send_pending()
    live.email_subscribers(started)

    assert received(mailoutbox) == FANS[1:]
    assert StatusDelivery.objects.get(email=FANS[0]).status == DeliveryStatus.SKIPPED
