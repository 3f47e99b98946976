"""The feeds: Atom (one entry per window update) and iCalendar (one event per window, RFC 5545:
UID stable, SEQUENCE from the window, STATUS:CANCELLED when cancelled, times in UTC)."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from yongxu.core import clock
from yongxu.maintenance.models import MaintenanceWindow, Phase, WindowUpdate
from yongxu.notices.describe import affects

FEED_DAYS = 180
ATOM_ENTRIES = 100


def atom(language: str) -> bytes:
    status_url = settings.SITE_URL + reverse("status")
    feed = Atom1Feed(title=f"{settings.YONGXU_SHOP_NAME} — status", link=status_url, language=language,
                     description="Planned maintenance and status updates",
                     feed_url=settings.SITE_URL + reverse("notices-atom"), id=status_url)
    updates = WindowUpdate.objects.select_related("window").order_by("-at", "-id")[:ATOM_ENTRIES]
    for update in updates:
        window = update.window
        body = [update.get_kind_display(), update.note]
        if update.eta and update.kind not in (WindowUpdate.Kind.COMPLETED, WindowUpdate.Kind.CANCELLED):
            body.append(f"ETA {update.eta:%Y-%m-%d %H:%M} UTC")
        feed.add_item(title=f"{update.get_kind_display()}: {window.public_title}", link=f"{status_url}#window-{window.pk}",
                      description=" — ".join(str(part) for part in body if part), pubdate=update.at, updateddate=update.at,
                      unique_id=f"{settings.SITE_URL}/status/updates/{update.pk}")
    return feed.writeString("utf-8").encode()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    raw, out, current = line.encode(), [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return "\r\n ".join(part.decode() for part in out) if raw else ""


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar() -> bytes:
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0] or "yongxu"
    now = clock.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Yongxu//Status//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape(settings.YONGXU_SHOP_NAME)} maintenance"]
    for window in MaintenanceWindow.objects.filter(planned_end__gte=now - timedelta(days=FEED_DAYS)).order_by("planned_start"):
        end = window.completed_at if window.phase == Phase.DONE and window.completed_at else window.eta
        description = "" if window.kind == "security" else window.description
        lines += ["BEGIN:VEVENT", f"UID:window-{window.pk}@{host}", f"DTSTAMP:{_utc(now)}",
                  f"DTSTART:{_utc(window.started_at or window.planned_start)}",
                  f"DTEND:{_utc(max(end, (window.started_at or window.planned_start) + timedelta(minutes=1)))}",
                  f"SEQUENCE:{window.sequence}", f"SUMMARY:{_escape(window.public_title)}",
                  f"DESCRIPTION:{_escape((description + chr(10) if description else '') + 'Paused: ' + affects(window))}",
                  f"URL:{settings.SITE_URL}{reverse('status')}#window-{window.pk}",
                  f"STATUS:{'CANCELLED' if window.phase == Phase.CANCELLED else 'CONFIRMED'}",
                  "TRANSP:OPAQUE", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
