"""The contract of a notification channel (a webhook format). One module per channel; the registry in
``yongxu.notices.channels`` maps a format name to its class by dotted path.

To add a channel: write ``channels/<name>.py`` with a ``Channel`` subclass that implements
``payload()``, add its dotted path to ``CHANNELS`` and a choice to ``WebhookFormat``."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings


@dataclass(frozen=True)
class Event:
    """What happened to a window, already in the words buyers read (public title, never the internal reason)."""

    kind: str  # a WindowUpdate kind: scheduled, started, eta, late, completed, cancelled, …
    kind_label: str
    window_id: int
    title: str
    text: str  # one line for chat channels
    note: str
    at: datetime
    planned_start: datetime
    planned_end: datetime
    eta: datetime | None
    phase: str
    level: str
    capabilities: tuple[str, ...]
    url: str  # the status page

    def as_dict(self) -> dict:
        return {"event": f"window.{self.kind}", "window": {
            "id": self.window_id, "title": self.title, "phase": self.phase, "level": self.level,
            "capabilities": list(self.capabilities), "planned_start": self.planned_start.isoformat(),
            "planned_end": self.planned_end.isoformat(), "eta": self.eta.isoformat() if self.eta else None},
            "update": {"kind": self.kind, "label": self.kind_label, "note": self.note, "at": self.at.isoformat()},
            "text": self.text, "status_url": self.url}


class ChannelError(Exception):
    """A failed post. ``retryable`` says whether trying again later can help (5xx, 429, network)."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


@dataclass(frozen=True)
class Sent:
    status: int


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a receiver checks: HMAC-SHA256(secret, "<timestamp>.<body>") in hex."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class Channel:
    """Posts an Event to one endpoint. Subclasses implement ``payload``; ``post`` is shared."""

    name = ""

    def payload(self, event: Event, endpoint) -> dict:
        """The JSON document this channel's receiver understands. Pure: no I/O."""
        raise NotImplementedError

    def post(self, event: Event, endpoint, *, delivery_id: str = "") -> Sent:
        """POST the payload as JSON, signed, with a timeout (settings.YONGXU_WEBHOOK_TIMEOUT). ``delivery_id``
        is the same on every retry of one delivery (``X-Yongxu-Delivery``), so a receiver can drop repeats.

        Returns Sent on 2xx; raises ChannelError otherwise (retryable for 5xx, 429 and network errors)."""
        if not endpoint.url.startswith(("https://", "http://")):
            raise ChannelError("not an HTTP URL", retryable=False)
        body = json.dumps(self.payload(event, endpoint), ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "User-Agent": "Yongxu-Notices/1",
                   "X-Yongxu-Event": f"window.{event.kind}", "X-Yongxu-Timestamp": timestamp,
                   "X-Yongxu-Signature": "sha256=" + sign(endpoint.secret, timestamp, body)}
        if delivery_id:
            headers["X-Yongxu-Delivery"] = delivery_id
        request = urllib.request.Request(endpoint.url, data=body, method="POST", headers=headers)  # noqa: S310 - checked
        from yongxu.notices.services import NoticeError

        opener = urllib.request.urlopen
        if getattr(endpoint, "public", False):  # anyone's URL: its address is checked again, no redirects
            from yongxu.notices.webhook_subscriptions import open_checked

            opener = open_checked
        try:
            with opener(request, timeout=settings.YONGXU_WEBHOOK_TIMEOUT) as response:  # noqa: S310
                return Sent(status=response.status)
        except NoticeError as exc:  # resolves to a private address now
            raise ChannelError(f"refused: {exc.message}", retryable=False) from exc
        except urllib.error.HTTPError as exc:
            with exc:
                raise ChannelError(f"HTTP {exc.code}", retryable=exc.code >= 500 or exc.code == 429, status=exc.code) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ChannelError(f"unreachable: {exc}", retryable=True) from exc
