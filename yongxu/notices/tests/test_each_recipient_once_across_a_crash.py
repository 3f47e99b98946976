"""Advance notices ride the outbox: a worker killed mid-run and started again delivers each notice to each
recipient exactly once — a claim that never reached the mail server is sent once it is stale; one that may
have reached it is never sent again ("maybe", for an operator) — and the run goes out at the set rate."""

from datetime import timedelta

import pytest

from yongxu.notices import advance
from yongxu.notices.models import NoticeRun
from yongxu.notices.tests.conftest import buyer_ordered, deliver, schedule
from yongxu.outbox import services as outbox
from yongxu.outbox.tests.mailserver import WorkerKilled

pytestmark = pytest.mark.django_db
BUYERS = [f"buyer{n}@example.com" for n in range(1, 6)]


@pytest.fixture
def due_notice(frozen):
    for email in BUYERS:
        buyer_ordered(email)
    schedule(starts_in=timedelta(hours=20))
    advance.plan_runs()


def received(mailoutbox) -> list[str]:
    return sorted(message.to[0] for message in mailoutbox)


def test_killed_before_handing_the_third_over_it_is_sent_once_the_claim_is_stale(due_notice, frozen, mailoutbox,
                                                                                 mail_server, settings):
    mail_server.extend(["ok", "ok", "killed before"])

    with pytest.raises(WorkerKilled):
        deliver(frozen)
    assert received(mailoutbox) == BUYERS[:2]

    outbox.drain()  # restarted at once: the third is still claimed by the dead worker
    assert received(mailoutbox) == BUYERS[:2] + BUYERS[3:]

    deliver(frozen, after=timedelta(seconds=settings.YONGXU_OUTBOX_STALE_SECONDS + 1))
    deliver(frozen)

    assert received(mailoutbox) == BUYERS
    run = NoticeRun.objects.get()
    assert (run.total, run.progress()) == (5, {"done": 5})


def test_killed_while_the_mail_server_had_it_it_is_never_sent_twice(due_notice, frozen, mailoutbox, mail_server,
                                                                    settings):
    mail_server.extend(["ok", "ok", "killed after"])

    with pytest.raises(WorkerKilled):
        deliver(frozen)
    deliver(frozen, after=timedelta(seconds=settings.YONGXU_OUTBOX_STALE_SECONDS + 1))
    deliver(frozen)

    assert received(mailoutbox) == BUYERS
    assert NoticeRun.objects.get().progress() == {"done": 4, "maybe": 1}


def test_the_run_goes_out_at_the_set_rate(due_notice, frozen, mailoutbox, settings):
    settings.YONGXU_NOTICE_RATE_PER_MINUTE = 60  # one a second

    outbox.drain()
    assert received(mailoutbox) == BUYERS[:1]
    frozen.shift(timedelta(seconds=2))
    outbox.drain()
    assert received(mailoutbox) == BUYERS[:3]
    deliver(frozen)

    assert received(mailoutbox) == BUYERS
