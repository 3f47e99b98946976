"""Capabilities: the unit of maintenance. Every route declares one, beside the route.

    route("lookup/", views.lookup, name="lookup", capability=LOOKUP)

``walk_routes()`` yields every route with its capability so a test can prove none is missing.
"""

from collections.abc import Iterator

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

BROWSE = "browse"
CHECKOUT = "checkout"
PAYMENT = "payment"
PAYMENT_NOTIFY = "payment-notify"
DELIVERY = "delivery"
LOOKUP = "lookup"
SUPPORT = "support"
ACCOUNTS = "accounts"
API = "api"
STATUS = "status"
OPS = "ops"
HEALTH = "health"
BYPASS = "maintenance-bypass"
CONTROL = "maintenance-control"
STAFF_LOGIN = "staff-login"

ALL = frozenset({BROWSE, CHECKOUT, PAYMENT, PAYMENT_NOTIFY, DELIVERY, LOOKUP, SUPPORT, ACCOUNTS, API,
                 STATUS, OPS, HEALTH, BYPASS, CONTROL, STAFF_LOGIN})
# Never closed, whatever the level: the money keeps coming in, and people can see what is going on.
# The bypass link, the staff login and the operators' control API are how maintenance is ended.
NEVER_CLOSED = frozenset({PAYMENT_NOTIFY, STATUS, HEALTH, BYPASS, CONTROL, STAFF_LOGIN})
# Open in every level unless an operator closes them by name.
OPEN_UNLESS_NAMED = frozenset({LOOKUP, SUPPORT})


GATEWAY_PREFIX = "payment:"


def is_capability(name: str) -> bool:
    """A capability above, or one configured payment gateway's own (``payment:alipay``: a name in
    ``settings.YONGXU_PAYMENT_PROVIDERS``), closed by name."""
    if name in ALL:
        return True
    if not name.startswith(GATEWAY_PREFIX):
        return False
    return name[len(GATEWAY_PREFIX):] in settings.YONGXU_PAYMENT_PROVIDERS


def route(pattern: str, view, *, capability: str, name: str | None = None, kwargs: dict | None = None):
    """``django.urls.path`` with the route's capability declared; includes inherit it."""
    if capability not in ALL:
        raise ValueError(f"unknown capability {capability!r}")
    if isinstance(view, list | tuple):
        entry = path(pattern, view if isinstance(view, tuple) else include(view), kwargs, name=name)
    else:
        entry = path(pattern, view, kwargs, name=name)
    entry.capability = capability
    return entry


def walk_routes(patterns, prefix: str = "", inherited: str | None = None) -> Iterator[tuple[str, str | None]]:
    for entry in patterns:
        capability = getattr(entry, "capability", None) or inherited
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk_routes(entry.url_patterns, text, capability)
        elif isinstance(entry, URLPattern):
            yield text, capability
