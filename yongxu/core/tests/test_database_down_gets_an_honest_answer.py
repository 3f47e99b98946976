"""The database away while the shop is open: buyers get a branded "temporarily unavailable" page in their
language with Retry-After (not Django's bare "Server Error (500)"), the API a JSON 503, gateway callbacks a
503 so the gateway retries; /readyz names the database and only the database."""

import pytest
from django.test import Client

from yongxu.conftest import database_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    client = Client(raise_request_exception=False)  # as a real server answers: through the error handlers
    client.get("/healthz")  # this process has read the maintenance state (the shop is open)
    return client


def test_a_buyer_page_is_the_unavailable_page_in_their_language(visitor, product, settings):
    with database_down():
        english = visitor.get(f"/p/{product.slug}/")
        chinese = visitor.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")

    assert (english.status_code, english["Retry-After"]) == (503, "30")
    assert "The shop is briefly unavailable" in english.content.decode()
    assert settings.YONGXU_SHOP_NAME in english.content.decode()
    assert chinese.status_code == 503
    assert '<html lang="zh-hans">' in chinese.content.decode()
    assert (settings.VAR_DIR / "maintenance" / "unavailable-en.html").exists()  # for the web server in front


def test_the_api_gets_json(visitor, product):
    with database_down():
        response = visitor.post("/api/v1/orders", {"product": product.slug, "quantity": 1, "email": "a@example.com"},
                                content_type="application/json")

    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert response.json() == {"error": "unavailable", "message": "The shop is briefly unavailable; please retry.",
                               "unavailable": "database", "retry_after": 30}


def test_a_gateway_callback_gets_a_503_so_it_retries(visitor, product):
    with database_down():
        response = visitor.get("/pay/notify/epay/?out_trade_no=X&trade_status=TRADE_SUCCESS")

    assert (response.status_code, response.content) == (503, b"temporarily unavailable, please retry")


def test_readyz_names_the_database_alone(visitor):
    with database_down():
        response = visitor.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert body["checks"]["worker"] == {"ok": None, "detail": "unknown while the database is down"}
