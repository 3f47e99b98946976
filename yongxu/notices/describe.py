"""How a window reads to a buyer: what it affects, and its times in their zone."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from yongxu.core.capabilities import OPEN_UNLESS_NAMED
from yongxu.core.text import join_list
from yongxu.maintenance.models import MaintenanceWindow
from yongxu.maintenance.state import FULL, MODULES, READONLY, SYNC


def capability_label(name: str) -> str:
    labels = {"browse": _("browsing the catalogue"), "checkout": _("new orders"), "payment": _("payments"),
              "delivery": _("key delivery"), "lookup": _("order lookup"), "support": _("support"),
              "accounts": _("accounts and sign-in"), "api": _("the API")}
    if name.startswith("payment:"):
        return _("payments with %(gateway)s") % {"gateway": name.split(":", 1)[1]}
    return labels.get(name, name)


def affects(window: MaintenanceWindow) -> str:
    """What a buyer cannot do during the window, in one sentence fragment (current language)."""
    named = [capability_label(name) for name in window.capabilities or ()]
    if window.level == FULL:
        text = _("the whole shop (order lookup, support and this status page stay open)")
        kept_closed = [capability_label(n) for n in window.capabilities or () if n in OPEN_UNLESS_NAMED]
        return text if not kept_closed else f"{text}; {', '.join(kept_closed)}"
    if window.level == READONLY:
        return join_list([_("new orders and payments"), *named])
    if window.level == SYNC:
        return _("background updates (pages may show slightly older data)")
    if window.level == MODULES:
        return join_list(named)
    return ""


def zone_for(language: str) -> ZoneInfo:
    return ZoneInfo(settings.YONGXU_NOTICE_ZONES.get(language, settings.TIME_ZONE))


@dataclass(frozen=True)
class LocalTimes:
    zone: str
    start: datetime
    end: datetime

    @property
    def buy_before(self) -> str:
        return f"{self.start:%H:%M}"


def local_times(window: MaintenanceWindow, language: str) -> LocalTimes:
    zone = zone_for(language)
    return LocalTimes(zone=str(zone), start=window.planned_start.astimezone(zone), end=window.eta.astimezone(zone))
