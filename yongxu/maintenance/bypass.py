"""Who may pass a closed capability: staff with ``maintenance.bypass``, holders of the secret link's
cookie (signed, expiring, bound to one maintenance and its current secret), allowlisted addresses
(X-Forwarded-For believed only from trusted proxies)."""

import hmac

from django.conf import settings
from django.core import signing

from yongxu.core.http import client_ip, in_networks
from yongxu.maintenance.state import State

COOKIE = "yx_bypass"
_SALT = "yongxu.maintenance.bypass"


def allowlisted(request) -> bool:
    return bool(settings.YONGXU_MAINTENANCE_ALLOW_IPS) and in_networks(client_ip(request),
                                                                       settings.YONGXU_MAINTENANCE_ALLOW_IPS)


def closure_for_secret(state: State, secret: str):
    """The active closure whose bypass secret this is, compared in constant time."""
    for closure in state.active:
        if closure.secret_id and hmac.compare_digest(closure.secret_id.encode(), secret.encode()):
            return closure
    return None


def link(closure) -> str | None:
    """The secret link of a closure made with a bypass secret, on the shop's configured address
    (``settings.SITE_URL``: YONGXU_SITE_URL, else the address the running shop recorded)."""
    if not closure.secret_id:
        return None
    return f"{settings.SITE_URL}/maintenance/bypass/{closure.secret_id}/"


def cookie_value(closure) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(f"{closure.id}:{closure.secret_id}")


def cookie_valid(request, state: State) -> bool:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return False
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign(value, max_age=settings.YONGXU_BYPASS_HOURS * 3600)
    except signing.BadSignature:
        return False
    closure_id, _, secret = payload.partition(":")
    return any(str(c.id) == closure_id and c.secret_id and hmac.compare_digest(c.secret_id, secret)
               for c in state.active)


def staff_may_pass(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff and user.has_perm("maintenance.bypass"))


def may_pass(request, state: State) -> bool:
    """Cheapest checks first; the staff check may touch the session and user tables."""
    return allowlisted(request) or cookie_valid(request, state) or staff_may_pass(request)
