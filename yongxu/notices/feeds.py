"""The feeds: Atom (one entry per window update, and one when each other closure began and ended) and
iCalendar (one event per window and per other closure, RFC 5545: UID stable, SEQUENCE from the window,
STATUS:CANCELLED when cancelled, times in UTC). "Other closures" are those no window owns: manual
switches, protections, breakers…, described through their registered sources."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from yongxu.core import clock
from yongxu.maintenance.models import MaintenanceWindow, Phase, WindowUpdate
from yongxu.notices import status
from yongxu.notices.describe import affects

Kind = WindowUpdate.Kind

FEED_DAYS = 180
ATOM_ENTRIES = 100


def atom(language: str) -> bytes:
    status_url = settings.SITE_URL + reverse("status")
    feed = Atom1Feed(title=f"{settings.YONGXU_SHOP_NAME} — status", link=status_url, language=language,
                     description="Planned maintenance and status updates",
                     feed_url=settings.SITE_URL + reverse("notices-atom"), id=status_url)
    items = []
    for update in WindowUpdate.objects.select_related("window").order_by("-at", "-id")[:ATOM_ENTRIES]:
        window = update.window
        body = [update.get_kind_display(), update.note]
        if update.eta and update.kind not in (WindowUpdate.Kind.COMPLETED, WindowUpdate.Kind.CANCELLED):
            body.append(f"ETA {update.eta:%Y-%m-%d %H:%M} UTC")
        items.append({"title": f"{update.get_kind_display()}: {window.public_title}", "link": f"{status_url}#window-{window.pk}",
                      "description": " — ".join(str(part) for part in body if part), "pubdate": update.at,
                      "updateddate": update.at, "unique_id": f"{settings.SITE_URL}/status/updates/{update.pk}"})
    items += _closure_entries(status_url)
    for item in sorted(items, key=lambda item: item["pubdate"], reverse=True)[:ATOM_ENTRIES]:
        feed.add_item(**item)
    return feed.writeString("utf-8").encode()


def _closure_entries(status_url: str) -> list[dict]:
    """An entry when each closure no window owns (a manual switch, a protection…) began, and one when
    it ended, described through its source's entry."""
    now = clock.now()
    items = []
    for closure in status.closures(now, days=FEED_DAYS):
        if closure["cancelled"]:
            continue
        moments = [(Kind.STARTED, closure["starts_at"]), (Kind.COMPLETED, closure["ends_at"])]
        for kind, at in moments:
            moment = datetime.fromisoformat(at) if at else None
            if moment is None or moment > now:
                continue
            items.append({"title": f"{kind.label}: {closure['title']}", "link": f"{status_url}#closure-{closure['id']}",
                          "description": f"{closure['kind_label']} — {closure['affects']}", "pubdate": moment,
                          "updateddate": moment, "unique_id": f"{settings.SITE_URL}/status/closures/{closure['id']}/{kind}"})
    return items


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
    for closure in status.closures(now, days=FEED_DAYS):
        start = datetime.fromisoformat(closure["starts_at"])
        end = next((datetime.fromisoformat(at) for at in (closure["ends_at"], closure["eta"]) if at), None) or now
        lines += ["BEGIN:VEVENT", f"UID:closure-{closure['id']}@{host}", f"DTSTAMP:{_utc(now)}", f"DTSTART:{_utc(start)}",
                  f"DTEND:{_utc(max(end, start + timedelta(minutes=1)))}",
                  f"SEQUENCE:{1 if closure['ends_at'] else 0}", f"SUMMARY:{_escape(closure['title'])}",
                  f"DESCRIPTION:{_escape(closure['kind_label'] + chr(10) + 'Paused: ' + closure['affects'])}",
                  f"URL:{settings.SITE_URL}{reverse('status')}#closure-{closure['id']}",
                  f"STATUS:{'CANCELLED' if closure['cancelled'] else 'CONFIRMED'}", "TRANSP:OPAQUE", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
