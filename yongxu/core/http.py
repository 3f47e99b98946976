"""Small request helpers shared by views: who is asking, what they accept, domain errors as answers."""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from yongxu.core.errors import DomainError


@cache
def _networks(cidrs: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def in_networks(address: str, cidrs) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(cidrs)))


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or — only when it is one of YONGXU_TRUSTED_PROXIES — the nearest X-Forwarded-For
    hop that is not a trusted proxy. Rate limits and the maintenance allowlist both rely on it."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.YONGXU_TRUSTED_PROXIES
    if not proxies or not in_networks(remote, proxies):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not in_networks(hop, proxies):
            return hop
    return remote


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def lazy_view(dotted_path: str):
    """A view imported on its first request, so heavy modules (pandas for the window advisor) stay out of
    every worker's start-up and memory until someone opens that page."""
    def view(request, *args, **kwargs):
        return import_string(dotted_path)(request, *args, **kwargs)

    view.__name__ = view.__qualname__ = dotted_path.rsplit(".", 1)[1]
    return view


def error_page(request: HttpRequest, error: DomainError, *, template: str = "error.html", context: dict | None = None):
    """A domain error as the right kind of answer: JSON for machines, a page for people; an error that
    says when to come back (a rate limit) carries ``Retry-After``."""
    if wants_json(request):
        response = JsonResponse(error.as_dict(), status=error.status)
    else:
        response = render(request, template, {"error": error, **(context or {})}, status=error.status)
    return with_retry_after(response, error)


def with_retry_after(response, error: DomainError):
    retry_after = error.details.get("retry_after")
    if isinstance(retry_after, int) and retry_after > 0:
        response["Retry-After"] = str(retry_after)
    return response
