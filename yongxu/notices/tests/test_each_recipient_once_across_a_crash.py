"""A worker killed mid-batch and started again delivers each notice to each recipient exactly once:
a claim that never reached the mail server is retried once it is stale; one that may have reached it
is never sent again (marked "unknown" for an operator)."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMultiAlternatives

from yongxu.notices import advance, mail
from yongxu.notices.models import DeliveryStatus, NoticeDelivery, NoticeRun
from yongxu.notices.tests.conftest import buyer_ordered, schedule

pytestmark = pytest.mark.django_db
BUYERS = [f"buyer{n}@example.com" for n in range(1, 6)]


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing of ours catches it."""


@pytest.fixture
def due_notice(frozen):
    for email in BUYERS:
        buyer_ordered(email)
    schedule(starts_in=timedelta(hours=20))
    advance.plan_runs()


def received(mailoutbox) -> list[str]:
    return sorted(message.to[0] for message in mailoutbox)


def test_killed_after_the_claim_before_sending_the_third_is_sent_after_restart(due_notice, frozen, mailoutbox, monkeypatch,
                                                                                settings):
    real_build, calls = mail.build, []

    def build(*args, **kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 3:
            raise WorkerKilled
        return real_build(*args, **kwargs)

    monkeypatch.setattr(mail, "build", build)
    with pytest.raises(WorkerKilled):
        advance.send_batch()
    assert received(mailoutbox) == BUYERS[:2]
    assert NoticeDelivery.objects.get(email=BUYERS[2]).status == DeliveryStatus.SENDING

    advance.send_batch()  # restarted at once: the third is still claimed by the dead worker
    assert received(mailoutbox) == BUYERS[:2] + BUYERS[3:]

    frozen.shift(timedelta(minutes=settings.YONGXU_NOTICE_STALE_MINUTES + 1))
    advance.send_batch()
    advance.send_batch()

    assert received(mailoutbox) == BUYERS
    run = NoticeRun.objects.get()
    assert (run.total, run.sent, run.failed, run.finished_at is not None) == (5, 5, 0, True)


def test_killed_while_the_mail_server_had_it_is_never_sent_twice(due_notice, frozen, mailoutbox, monkeypatch, settings):
    real_send, sends = EmailMultiAlternatives.send, []

    def send(message, *args, **kwargs):
        sends.append(message.to[0])
        result = real_send(message, *args, **kwargs)
        if len(sends) == 3:
            raise WorkerKilled  # the server has the message; we never learnt it
        return result

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    with pytest.raises(WorkerKilled):
        advance.send_batch()

    frozen.shift(timedelta(minutes=settings.YONGXU_NOTICE_STALE_MINUTES + 1))
    advance.send_batch()
    advance.send_batch()

    assert received(mailoutbox) == BUYERS
    assert NoticeDelivery.objects.get(email=BUYERS[2]).status == DeliveryStatus.UNKNOWN
    run = NoticeRun.objects.get()
    assert (run.sent, run.failed) == (4, 1)
