"""Status subscribers confirm by a signed link (double opt-in); then they are e-mailed when a window
starts, runs late, gets a new estimate, completes or is cancelled. Unconfirmed addresses get nothing."""

import re
from datetime import timedelta

import pytest

from yongxu.maintenance import windows
from yongxu.notices.models import StatusSubscriber
from yongxu.notices.tests.conftest import NOW, OPERATOR, schedule

pytestmark = pytest.mark.django_db


def test_double_opt_in_then_updates_by_e_mail(client, frozen, committed, mailoutbox, settings):
    with committed():
        client.post("/status/subscribe/email/", {"email": "Fan@Example.com"})
        client.post("/status/subscribe/email/", {"email": "never@example.com"})
    [confirm, _other] = mailoutbox
    link = re.search(r"http://\S+/status/confirm/\S+/", confirm.body).group(0)
    assert StatusSubscriber.objects.filter(confirmed_at__isnull=False).count() == 0

    client.get(link.removeprefix(settings.SITE_URL))
    assert list(StatusSubscriber.objects.filter(confirmed_at__isnull=False).values_list("email", flat=True)) == [
        "fan@example.com"]
    mailoutbox.clear()
    with committed():
        window = schedule(starts_in=timedelta(hours=2))
    with committed():
        windows.start_window(window, actor=OPERATOR)
    with committed():
        windows.update_window(window, actor=OPERATOR, eta=NOW + timedelta(hours=5))
    with committed():
        windows.complete_window(window, actor=OPERATOR)

    assert [m.to for m in mailoutbox] == [["fan@example.com"]] * 3
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Started", "New estimate", "Completed"]
    assert "List-Unsubscribe" in mailoutbox[0].extra_headers
