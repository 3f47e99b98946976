"""Template context: the banner for active or imminent maintenance, and what is paused where."""

from datetime import timedelta

from django.conf import settings

from yongxu.core.capabilities import CHECKOUT


def maintenance(request):
    state = getattr(request, "maintenance", None)
    if state is None:
        from yongxu.maintenance.snapshot import current_state

        state = current_state()
    horizon = state.at + timedelta(hours=settings.YONGXU_BANNER_LEAD_HOURS)
    soon = [c for c in state.upcoming if c.starts_at <= horizon]
    return {"maintenance": {
        "state": state,
        "active": state.in_maintenance,
        "upcoming": soon[0] if soon else None,
        "checkout_paused": state.is_closed(CHECKOUT),
        "eta_iso": state.eta.isoformat() if state.eta else "",
        "bypassed": getattr(request, "maintenance_bypassed", False),
    }}
