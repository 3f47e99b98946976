"""A real SMTP server (aiosmtpd) on a free loopback port that keeps every message it accepts.

It can be slowed at a stage of the conversation (``rcpt``: before the recipient is accepted, so nothing
has been handed over yet; ``data``: after the whole message arrived and was kept, before the "250 OK", so
the server has accepted what the client never hears acknowledged) and can refuse messages with a
temporary error (451)."""

from __future__ import annotations

import asyncio
import email
import threading
import time
from dataclasses import dataclass
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

from faults.harness.procs import HarnessError, free_port

DELIVERY_TEMPLATE = "orders/email/delivered"  # the "your keys" e-mail (X-Yongxu-Template header)


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    template: str
    received_at: float


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        await self.sink._stage("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        # The message is kept (or refused) before the slow-down: aiosmtpd cancels this coroutine when the
        # client goes away, and a real server that queued a message keeps it whether or not its "250" arrives.
        if self.sink.refusing:
            with self.sink._lock:
                self.sink.refused += 1
            await self.sink._stage("data")
            return "451 4.3.0 Try again later (refused by the fault suite)"
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        mail = Mail(to=tuple(envelope.rcpt_tos), subject=str(message.get("Subject", "")),
                    template=str(message.get("X-Yongxu-Template", "")), received_at=time.monotonic())
        with self.sink._lock:
            self.sink.messages.append(mail)
        await self.sink._stage("data")
        return "250 OK: queued"


class SmtpSink:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Mail] = []
        self.refused = 0
        self.refusing = False
        self.delays: dict[str, float] = {}
        self.entered: dict[str, int] = {"rcpt": 0, "data": 0}
        self._lock = threading.Condition()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def start(self) -> SmtpSink:
        try:
            self._controller.start()
        except (RuntimeError, OSError) as exc:
            raise HarnessError(f"SMTP sink did not start: {exc}") from exc
        return self

    def stop(self) -> None:
        self.delays.clear()
        self._controller.stop()

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.refused, self.refusing, self.delays = 0, False, {}
            self.entered = {"rcpt": 0, "data": 0}

    def slow(self, stage: str, seconds: float) -> None:
        """Make every conversation wait ``seconds`` at ``stage`` ("rcpt" or "data"); 0 to stop."""
        if stage not in self.entered:
            raise ValueError(stage)
        self.delays[stage] = seconds

    def refuse(self, on: bool = True) -> None:
        """Answer every message with a temporary failure (451) until ``refuse(False)``: nothing is kept."""
        self.refusing = on

    async def _stage(self, stage: str) -> None:
        with self._lock:
            self.entered[stage] += 1
            self._lock.notify_all()
        if delay := self.delays.get(stage):
            await asyncio.sleep(delay)

    def wait_entered(self, stage: str, count: int, *, timeout: float) -> bool:
        """Wait until ``count`` conversations have reached ``stage`` in all; False on time-out."""
        with self._lock:
            return self._lock.wait_for(lambda: self.entered[stage] >= count, timeout)

    def deliveries(self) -> dict[str, int]:
        """How many "your keys" e-mails each recipient received."""
        counts: dict[str, int] = {}
        with self._lock:
            for mail in self.messages:
                if mail.template == DELIVERY_TEMPLATE:
                    for address in mail.to:
                        counts[address] = counts.get(address, 0) + 1
        return counts
