"""Each channel speaks its receiver's format: generic JSON, Telegram sendMessage, Slack, Discord."""

from datetime import timedelta

import pytest

from yongxu.maintenance.models import WindowUpdate
from yongxu.notices import live
from yongxu.notices.channels import CHANNELS, channel_for
from yongxu.notices.models import WebhookEndpoint, WebhookFormat
from yongxu.notices.tests.conftest import schedule

pytestmark = pytest.mark.django_db


def test_every_format_has_a_channel_and_its_payload(frozen):
    window = schedule(starts_in=timedelta(hours=30), title="Key store upgrade")
    event = live.event_for(WindowUpdate.objects.get(window=window))
    endpoint = WebhookEndpoint(name="x", url="https://example.invalid/", chat_id="-100123")

    payloads = {name: channel_for(name).payload(event, endpoint) for name in WebhookFormat.values}

    assert set(CHANNELS) == set(WebhookFormat.values)
    assert payloads["generic"]["window"]["title"] == "Key store upgrade"
    assert payloads["telegram"]["chat_id"] == "-100123" and "Key store upgrade" in payloads["telegram"]["text"]
    assert "Key store upgrade" in payloads["slack"]["text"]
    assert payloads["discord"]["embeds"][0]["title"] == "Key store upgrade"
