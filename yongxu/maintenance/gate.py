"""The request gate. Decides from the in-process snapshot and the resolved route's capability:
no database query and no file read on the way through (a test pins zero queries)."""

import logging

from django.conf import settings
from django.utils.cache import patch_cache_control

from yongxu.core import unavailable
from yongxu.core.capabilities import NEVER_CLOSED
from yongxu.maintenance import responses
from yongxu.maintenance.bypass import may_pass
from yongxu.maintenance.routes import capabilities_of
from yongxu.maintenance.snapshot import UNKNOWN_SOURCE, gatekeeper

log = logging.getLogger(__name__)


def closed_capability(state, capabilities) -> str | None:
    if any(capability in NEVER_CLOSED for capability in capabilities):
        return None
    return next((capability or "undeclared" for capability in capabilities if state.is_closed(capability)), None)


class MaintenanceGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            state = gatekeeper.state()
            request.maintenance = state
            if not state.active or request.method == "OPTIONS":  # OPTIONS changes nothing: let it be answered
                return None
            capability = closed_capability(state, capabilities_of(request))
            if capability is None:
                return None
        except Exception:  # reading the state failed: the gate never answers 500 of its own
            log.exception("maintenance gate failed open for %s", request.path)
            return None
        try:
            if may_pass(request, state):
                request.maintenance_bypassed = True
                return None
        except Exception as exc:  # e.g. the session table is the thing under maintenance: show the page
            log.warning("maintenance bypass check failed for %s (%s: %s); serving the maintenance page",
                        request.path, type(exc).__name__, exc)
        if state.active[0].source == UNKNOWN_SOURCE:  # never read the state: say so, don't claim maintenance
            return unavailable.response(request, reason="maintenance state")
        response = responses.closed(request, state, capability)
        # A planned 503 is not a server error: keep django.request from logging one line per request.
        response._has_been_logged = True
        response["Retry-After"] = str(state.retry_after())
        patch_cache_control(response, no_store=True, no_cache=True, must_revalidate=True)
        return response


def status_url() -> str:
    return f"{settings.SITE_URL}/status/"
