"""Small request helpers shared by views: who is asking, what they accept, domain errors as answers."""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import render

from yongxu.core.errors import DomainError


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def error_page(request: HttpRequest, error: DomainError, *, template: str = "error.html", context: dict | None = None):
    """A domain error as the right kind of answer: JSON for machines, a page for people."""
    if wants_json(request):
        return JsonResponse(error.as_dict(), status=error.status)
    return render(request, template, {"error": error, **(context or {})}, status=error.status)
