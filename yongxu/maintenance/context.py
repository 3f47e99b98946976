"""Template context: the banner for active or imminent maintenance, and what is paused where."""

from datetime import timedelta

from django.conf import settings

from yongxu.core import clock
from yongxu.core.capabilities import CHECKOUT
from yongxu.maintenance import sources


def maintenance(request):
    state = getattr(request, "maintenance", None)
    if state is None:
        from yongxu.maintenance.snapshot import current_state

        state = current_state()
    now = clock.now()
    horizon = now + timedelta(hours=settings.YONGXU_BANNER_LEAD_HOURS)
    soon = [c for c in state.upcoming if c.starts_at <= horizon]
    starts_in = int((soon[0].starts_at - now).total_seconds()) if soon else 0
    upcoming = sources.entry(soon[0].source) if soon else None
    # Described only through each closure's registered source: a source string is never taken apart here.
    return {"maintenance": {
        "state": state,
        "active": state.in_maintenance,
        "headline": sources.headline(state),
        "upcoming": soon[0] if soon else None,
        "upcoming_title": str(upcoming.public_title) if upcoming else "",
        "upcoming_link": upcoming.link_for(soon[0]) if upcoming else None,
        # The countdown's start, and how loud the banner is: from 24 h "day", from 1 h "hour".
        "starts_in": starts_in, "countdown": countdown(starts_in),
        "prominence": "hour" if starts_in <= 3600 else "day" if starts_in <= 86400 else "notice",
        "checkout_paused": state.is_closed(CHECKOUT),
        "eta_iso": state.eta.isoformat() if state.eta else "",
        "bypassed": getattr(request, "maintenance_bypassed", False),
    }}


def countdown(seconds: int) -> str:
    """``2d 03:04:05``; the banner's script keeps it counting."""
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    return (f"{days}d " if days else "") + f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
