"""The outbox's dispatcher: a thread in every worker process (started by the Huey consumer) that polls
the table about once a second and delivers what is due. It needs only the database: with Redis gone, or
Huey's queue unreadable, effects still go out."""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)
_lock = threading.Lock()
_thread: threading.Thread | None = None
_stop = threading.Event()
BEAT_EVERY = 30.0  # seconds between worker heartbeats written by the dispatcher


def start() -> threading.Thread:
    """Start this process's dispatcher once (idempotent)."""
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _stop.clear()
            _thread = threading.Thread(target=_loop, name="outbox-dispatcher", daemon=True)
            _thread.start()
        return _thread


def stop(timeout: float = 10.0) -> None:
    """Let the dispatcher finish the effect in hand and stop (the consumer's shutdown)."""
    _stop.set()
    thread = _thread
    if thread is not None:
        thread.join(timeout)


def _loop() -> None:
    from yongxu.ops.services import beat
    from yongxu.outbox.services import drain

    pause, last_beat = 0.0, 0.0
    while not _stop.is_set():
        try:
            ran = drain()
            if time.monotonic() - last_beat >= BEAT_EVERY:
                beat()
                last_beat = time.monotonic()
            pause = 0.0 if ran else settings.YONGXU_OUTBOX_POLL_SECONDS
        except Exception as error:  # noqa: BLE001 - the database may be away: wait and try again
            pause = min(max(pause * 2, 1.0), 30.0)
            log.warning("outbox dispatcher: %s: %s; retrying in %.0f s", type(error).__name__, error, pause)
        finally:
            close_old_connections()
        if pause:
            _stop.wait(pause)
    connections.close_all()  # this thread's own connections: none left open behind a stopped dispatcher
