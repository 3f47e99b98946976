"""Which capability a resolved request belongs to, from the routes' own declarations (built once)."""

from functools import cache

from django.urls import get_resolver

from yongxu.core.capabilities import walk_routes


@cache
def _table(urlconf: str | None) -> tuple[dict[str, str | None], tuple[tuple[str, str], ...]]:
    exact: dict[str, str | None] = {}
    for route, capability in walk_routes(get_resolver(urlconf).url_patterns):
        exact.setdefault(route, capability)  # the first declaration wins, as Django resolves the first match
    prefixes = tuple(sorted(((route.rstrip("$^"), cap) for route, cap in exact.items() if cap), key=lambda p: -len(p[0])))
    return exact, prefixes


def capabilities_of(request) -> tuple[str | None, ...]:
    """The route's declared capability, and for API operations also the operation's own one."""
    match = request.resolver_match
    if match is None:
        return (None,)
    exact, prefixes = _table(getattr(request, "urlconf", None))
    route = match.route
    if route in exact:
        capability = exact[route]
    else:
        capability = next((cap for prefix, cap in prefixes if prefix and route.startswith(prefix)), None)
    from yongxu.api import operation_capability

    operation = operation_capability(route, request.method)
    return (capability, operation) if operation else (capability,)
