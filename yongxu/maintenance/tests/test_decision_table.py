"""The gate's decision table: level × route × visitor → 503 or not. Those who may pass (staff with
maintenance.bypass, the secret cookie, an allowlisted address) pass everything; everybody else meets
the level's closed capabilities; the never-closed routes answer everybody."""

import pytest

from yongxu.conftest import make_product
from yongxu.core.capabilities import ALL, NEVER_CLOSED
from yongxu.maintenance.tests.conftest import secret_of, switch_on

pytestmark = pytest.mark.django_db

SHUT, OPEN = "503", "open"
LEVELS = {"full": ("full", []), "readonly": ("readonly", []), "modules=[checkout]": ("modules", ["checkout"]),
          "sync": ("sync", [])}

#  request (capability)                         full  readonly  modules=[checkout]  sync
TABLE = {
    "GET / (browse)":                            (SHUT, OPEN,     OPEN,               OPEN),
    "GET /p/<slug>/ (browse)":                   (SHUT, OPEN,     OPEN,               OPEN),
    "POST /p/<slug>/buy/ (checkout)":            (SHUT, SHUT,     SHUT,               OPEN),
    "GET /lookup/ (lookup)":                     (OPEN, OPEN,     OPEN,               OPEN),
    "GET /api/v1/products (api, browse)":        (SHUT, OPEN,     OPEN,               OPEN),
    "POST /api/v1/orders (api, checkout)":       (SHUT, SHUT,     SHUT,               OPEN),
    "GET /pay/notify/epay/ (payment-notify)":    (OPEN, OPEN,     OPEN,               OPEN),
    "GET /status.json (status)":                 (OPEN, OPEN,     OPEN,               OPEN),
    "GET /healthz (health)":                     (OPEN, OPEN,     OPEN,               OPEN),
    "GET /admin/ (ops)":                         (SHUT, OPEN,     OPEN,               OPEN),
    "GET /admin/login/ (staff-login)":           (OPEN, OPEN,     OPEN,               OPEN),
}
PASSING = {"staff with maintenance.bypass", "secret-cookie holder", "allowlisted IP"}
VISITORS = ["anonymous", "signed-in buyer", "staff without maintenance.bypass", *sorted(PASSING),
            "spoofed X-Forwarded-For"]

ALLOWED_NET, ALLOWED_IP, PROXY, STRANGER = "203.0.113.0/24", "203.0.113.7", "10.0.0.1", "198.51.100.9"

CASES = [pytest.param(level, route, visitor, OPEN if visitor in PASSING else expected[column],
                      id=f"{level}|{route.split(' (')[0]}|{visitor}")
         for column, level in enumerate(LEVELS) for route, expected in TABLE.items() for visitor in VISITORS]


def _request(client, route: str, slug: str, extra: dict):
    method, path = route.split(" ")[:2]
    path = path.replace("<slug>", slug)
    if method == "POST" and path.startswith("/api/"):
        return client.post(path, {"product": slug, "quantity": 1, "email": "buyer@example.com"},
                           content_type="application/json", **extra)
    if method == "POST":
        return client.post(path, {"quantity": "1", "email": "buyer@example.com", "provider": "epay"}, **extra)
    return client.get(path, **extra)


def _arrange(visitor: str, client, closure, request) -> dict:
    """Make the client this visitor; returns the request's extra META."""
    if visitor == "signed-in buyer":
        client.force_login(request.getfixturevalue("outsider"))
    elif visitor == "staff without maintenance.bypass":
        client.force_login(request.getfixturevalue("clerk"))
    elif visitor == "staff with maintenance.bypass":
        client.force_login(request.getfixturevalue("bypasser"))
    elif visitor == "secret-cookie holder":
        assert client.get(f"/maintenance/bypass/{secret_of(closure)}/").status_code == 302
    elif visitor == "allowlisted IP":
        return {"REMOTE_ADDR": ALLOWED_IP}
    elif visitor == "spoofed X-Forwarded-For":
        return {"REMOTE_ADDR": STRANGER, "HTTP_X_FORWARDED_FOR": ALLOWED_IP}
    return {"REMOTE_ADDR": STRANGER}


@pytest.mark.parametrize(("level", "route", "visitor", "expected"), CASES)
def test_the_gate_decides(client, settings, request, level, route, visitor, expected):
    settings.YONGXU_MAINTENANCE_ALLOW_IPS = [ALLOWED_NET]
    settings.YONGXU_TRUSTED_PROXIES = [PROXY]
    product = make_product(keys=3)
    name, modules = LEVELS[level]
    closure = switch_on(name, modules=modules, public_reason="Planned upgrade", secret="")
    extra = _arrange(visitor, client, closure, request)

    response = _request(client, route, product.slug, extra)

    assert (OPEN if response.status_code != 503 else SHUT) == expected
    if expected == SHUT:
        assert response["Retry-After"] == "300"


def test_the_table_reaches_the_never_closed_routes_a_visitor_can_call():
    named = {capability for route in TABLE for capability in route.rsplit("(", 1)[1].rstrip(")").split(", ")}

    assert named <= ALL
    assert NEVER_CLOSED - named == {"maintenance-bypass", "maintenance-control"}  # covered in test_bypass, test_api
