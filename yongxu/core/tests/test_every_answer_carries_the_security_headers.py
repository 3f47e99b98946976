"""Every answer carries the Content-Security-Policy (pages, errors, the maintenance page, the API), framed
by nobody unless the view allows its own pages; HSTS goes with HTTPS answers only, so the demo on
http:// is unaffected."""

import pytest
from django.test import Client

from yongxu.maintenance import services

pytestmark = pytest.mark.django_db

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'")


@pytest.mark.parametrize("path", ["/", "/lookup/", "/status/", "/no-such-page/", "/api/v1/products", "/healthz",
                                  "/api/v1/docs"])
def test_pages_errors_and_the_api_carry_the_policy(client, path):
    response = client.get(path)

    assert response["Content-Security-Policy"] == f"{POLICY}; frame-ancestors 'none'"


def test_the_maintenance_page_carries_it_too(client):
    services.close_capabilities([], source="manual", level="full", reason="upgrade", until=None, actor="test")

    response = client.get("/", headers={"Accept": "text/html"})

    assert response.status_code == 503
    assert response["Content-Security-Policy"] == f"{POLICY}; frame-ancestors 'none'"


def test_the_email_preview_may_be_framed_by_our_own_admin_only(client, operator):
    client.force_login(operator)

    response = client.get("/admin/emails/", {"name": "keys delivered", "part": "html"})

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Security-Policy"] == f"{POLICY}; frame-ancestors 'self'"


def test_hsts_goes_with_https_answers_only(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    over_https, over_http = Client().get("/healthz", secure=True), Client().get("/healthz")

    assert over_https["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in over_http
