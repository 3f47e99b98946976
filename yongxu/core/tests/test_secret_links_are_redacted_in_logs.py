"""Log lines never carry a secret link: every route with a secret in its path (order, ticket, bypass,
signed links), secret-looking query values, and Django's own "Not Found: <path>" line are redacted."""

import io
import logging
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from yongxu.core.redact import redact

SECRET = "Secr3t-Value_0123456789abc"
SECRET_PARAMETERS = {"token", "secret"}


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _sample_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SECRET if m[1] in SECRET_PARAMETERS else "x1", route)


SECRET_ROUTES = sorted({route for route in _routes(get_resolver().url_patterns)
                        if set(re.findall(r"<(?:\w+:)?(\w+)>", route)) & SECRET_PARAMETERS})


def test_the_secret_routes_are_the_ones_expected():
    assert SECRET_ROUTES == [
        "account/password-reset/<str:uidb64>/<str:token>/", "account/unlock/<str:token>/", "account/verify/<str:token>/",
        "api/v1/orders/<token>", "api/v1/orders/<token>/payments", "maintenance/bypass/<str:secret>/",
        "o/<str:token>/", "o/<str:token>/pay/", "o/<str:token>/pay/<str:reference>/", "o/<str:token>/return/",
        "o/<str:token>/unlock/", "status/confirm/<str:token>/", "status/unsubscribe/<str:token>/",
        "support/t/<str:token>/", "support/t/<str:token>/close/", "support/t/<str:token>/files/<int:attachment_id>/"]


@pytest.mark.parametrize("route", SECRET_ROUTES)
def test_every_secret_route_is_redacted(route):
    path = _sample_path(route)

    assert SECRET not in redact(f"GET {path}?page=2 HTTP/1.1")
    assert "[redacted]" in redact(path)


@pytest.mark.parametrize(("line", "logged"), [
    ("/pay/notify/epay/?pid=1001&trade_no=20261202&money=9.99&sign=0f3a9c&sign_type=MD5",
     "/pay/notify/epay/?pid=1001&trade_no=20261202&money=9.99&sign=[redacted]&sign_type=[redacted]"),
    ("/api/v1/orders/x?query_password=open+sesame", "/api/v1/orders/[redacted]?query_password=[redacted]"),
    ("/p/steam-50/quote/?quantity=2&coupon=SPRING&email=buyer%40example.com",
     "/p/steam-50/quote/?quantity=2&coupon=[redacted]&email=[redacted]"),
    ("/account/login/?next=%2Fo%2FAbC123%2F", "/account/login/?next=[redacted]"),
    ("/anything/?state=eyJhbGciOiJIUzI1NiJ9abc123", "/anything/?state=[redacted]"),
    ("/admin/emails/?name=keys+delivered&lang=en&part=html", "/admin/emails/?name=keys+delivered&lang=en&part=html"),
    ("/account/verify/resend/", "/account/verify/resend/"),
    ("/status/?level=full", "/status/?level=full"),
])
def test_secret_looking_query_values_are_redacted(line, logged):
    assert redact(line) == logged


def test_djangos_not_found_line_names_the_path_without_its_secret(client, db):
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        response = client.get(f"/o/{SECRET}/")
    finally:
        handler.setStream(previous)

    assert response.status_code == 404
    assert written.getvalue() == "Not Found: /o/[redacted]/\n"
