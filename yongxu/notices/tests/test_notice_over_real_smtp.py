"""An advance notice leaves through a real SMTP conversation (aiosmtpd on loopback) with its
one-click unsubscribe headers, and the run counts it as sent."""

import email
import email.policy
from datetime import timedelta

import pytest

from yongxu.notices import advance
from yongxu.notices.models import NoticeRun
from yongxu.notices.tests.conftest import buyer_ordered, schedule
from yongxu.orders.tests.test_delivery_email_over_smtp import smtp_inbox  # noqa: F401 - the loopback server
from yongxu.outbox import services as outbox

pytestmark = pytest.mark.django_db


def test_the_notice_arrives_over_smtp(frozen, smtp_inbox):  # noqa: F811
    buyer_ordered("ann@example.com")
    schedule(starts_in=timedelta(hours=20), title="Key store upgrade")

    advance.run_due()
    outbox.drain()

    [envelope] = smtp_inbox.envelopes
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert envelope.rcpt_tos == ["ann@example.com"]
    assert "Key store upgrade" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Buy before 08:00" in message.get_body(("plain",)).get_content()
    assert "Buy before 08:00" in message.get_body(("html",)).get_content()
    assert NoticeRun.objects.get().progress() == {"done": 1}
