"""Who may pass a closed capability: staff with ``maintenance.bypass``, holders of the secret link's
cookie (signed, expiring, bound to one maintenance and its current secret), allowlisted addresses
(X-Forwarded-For believed only from trusted proxies)."""

import hmac
import ipaddress
from functools import cache

from django.conf import settings
from django.core import signing

from yongxu.maintenance.state import State

COOKIE = "yx_bypass"
_SALT = "yongxu.maintenance.bypass"


@cache
def _networks(cidrs: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def _in(address: str, cidrs: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(cidrs)))


def client_address(request) -> str:
    """REMOTE_ADDR, or — only when it is a trusted proxy — the nearest untrusted X-Forwarded-For hop."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.YONGXU_TRUSTED_PROXIES or not _in(remote, settings.YONGXU_TRUSTED_PROXIES):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _in(hop, settings.YONGXU_TRUSTED_PROXIES):
            return hop
    return remote


def allowlisted(request) -> bool:
    return bool(settings.YONGXU_MAINTENANCE_ALLOW_IPS) and _in(client_address(request),
                                                                settings.YONGXU_MAINTENANCE_ALLOW_IPS)


def closure_for_secret(state: State, secret: str):
    """The active closure whose bypass secret this is, compared in constant time."""
    for closure in state.active:
        if closure.secret_id and hmac.compare_digest(closure.secret_id.encode(), secret.encode()):
            return closure
    return None


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
