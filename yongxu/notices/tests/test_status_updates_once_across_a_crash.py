"""Update e-mails to confirmed status subscribers go out exactly once each, even when the worker is killed
mid-way and started again, or the same update is announced twice: each (update, address) is one outbox
effect, and an address that left meanwhile is skipped."""

from datetime import timedelta

import pytest

from yongxu.core import clock
from yongxu.maintenance import windows
from yongxu.maintenance.models import WindowUpdate
from yongxu.notices import live
from yongxu.notices.models import StatusSubscriber
from yongxu.notices.tests.conftest import OPERATOR, deliver, schedule
from yongxu.outbox.models import Effect
from yongxu.outbox.tests.mailserver import WorkerKilled

pytestmark = pytest.mark.django_db
FANS = [f"fan{n}@example.com" for n in range(1, 6)]


@pytest.fixture
def started(frozen):
    for email in FANS:
        StatusSubscriber.objects.create(email=email, confirmed_at=clock.now())
    window = schedule(starts_in=timedelta(hours=1))
    windows.start_window(window, actor=OPERATOR)  # not committed: the worker's outbox runs it below
    return WindowUpdate.objects.get(window=window, kind=WindowUpdate.Kind.STARTED)


def update_emails(started) -> dict:
    return {effect.payload["email"]: effect.status for effect in Effect.objects.filter(kind="notices.update_email",
                                                                                      payload__update=started.pk)}


def test_killed_before_handing_the_third_over_it_is_sent_once_the_claim_is_stale(started, frozen, mailoutbox,
                                                                                 mail_server, settings):
    mail_server.extend(["ok", "ok", "killed before"])

    with pytest.raises(WorkerKilled):
        deliver(frozen)  # the fan-out (one effect per subscriber), then the e-mails
    live.on_window_update(started.pk)  # announced again: nobody is added twice
    deliver(frozen, after=timedelta(seconds=settings.YONGXU_OUTBOX_STALE_SECONDS + 1))

    assert sorted(m.to[0] for m in mailoutbox if m.to[0] in FANS) == FANS
    assert update_emails(started) == dict.fromkeys(FANS, "done")


def test_killed_after_handing_it_over_the_message_is_never_sent_again(started, frozen, mailoutbox, mail_server,
                                                                      settings):
    mail_server.extend(["ok", "killed after"])

    with pytest.raises(WorkerKilled):
        deliver(frozen)
    deliver(frozen, after=timedelta(seconds=settings.YONGXU_OUTBOX_STALE_SECONDS + 1))

    assert sorted(m.to[0] for m in mailoutbox if m.to[0] in FANS) == FANS
    assert sorted(update_emails(started).values()) == ["done"] * 4 + ["maybe"]


def test_an_address_that_left_meanwhile_is_skipped(started, frozen, mailoutbox):
    live.on_window_update(started.pk)  # queued, then the worker went away
    StatusSubscriber.objects.filter(email=FANS[0]).delete()

    deliver(frozen)

    assert sorted(m.to[0] for m in mailoutbox if m.to[0] in FANS) == FANS[1:]
    assert update_emails(started)[FANS[0]] == "skipped"
