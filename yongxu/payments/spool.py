"""Gateway callbacks that arrive while the database is away are written to ``var/spool/notify/`` (owner-only
files) and answered 503, so the gateway retries as well; once the database answers again the spooled ones
are received exactly as if they had just arrived (applied once: a retry that got there first makes the
spooled copy a duplicate). Each node replays its own spool: on its next stored callback, and every minute."""

import base64
import json
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import Error as DatabaseError

from yongxu.core import clock
from yongxu.payments.providers.base import IncomingNotification

log = logging.getLogger(__name__)


def folder() -> Path:
    return Path(settings.YONGXU_NOTIFY_SPOOL_DIR or Path(settings.VAR_DIR) / "spool" / "notify")


def keep(provider: str, incoming: IncomingNotification, *, remote_addr: str) -> Path | None:
    """Write the callback to the spool; None if even that failed (the gateway's own retry is left)."""
    data = {"provider": provider, "method": incoming.method, "params": incoming.params,
            "body": base64.b64encode(incoming.body).decode(), "headers": incoming.headers,
            "remote_addr": remote_addr, "received_at": clock.now().isoformat()}
    target = folder() / f"{clock.now():%Y%m%dT%H%M%S}-{secrets.token_hex(6)}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(target.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(target.with_suffix(".tmp"), target)
    except OSError as error:
        log.error("a %s callback could not be spooled either (%s); the gateway will retry it", provider, error)
        return None
    log.warning("database away: %s callback spooled to %s", provider, target.name)
    return target


def waiting() -> list[Path]:
    try:
        return sorted(folder().glob("*.json"))
    except OSError:
        return []


def replay(*, limit: int = 200) -> int:
    """Receive the spooled callbacks, oldest first; stop at the first database error (still away)."""
    from yongxu.payments.services import receive_notification

    done = 0
    for path in waiting()[:limit]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            incoming = IncomingNotification(method=data["method"], params=data["params"],
                                            body=base64.b64decode(data["body"]), headers=data["headers"])
        except (OSError, ValueError, KeyError) as error:
            log.error("spooled callback %s is unreadable (%s); moved aside", path.name, error)
            path.rename(path.with_suffix(".bad"))
            continue
        try:
            receive_notification(data["provider"], incoming, remote_addr=data["remote_addr"])
        except DatabaseError as error:
            log.warning("spooled callbacks wait: the database is still away (%s)", error)
            break
        path.unlink(missing_ok=True)
        done += 1
    return done
