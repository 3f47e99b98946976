"""What a closed capability answers: 503 with Retry-After (seconds to the ETA) and no-store; JSON for
the API and for Accept: application/json, the maintenance page for people; HEAD without a body,
OPTIONS answered; a refused form says nothing was done and keeps what was typed. Product pages
degrade in place, and a banner tells of maintenance now or soon. The internal reason never shows."""

from datetime import timedelta

import pytest

from yongxu.conftest import make_product
from yongxu.inventory.services import available_count
from yongxu.maintenance import services
from yongxu.maintenance.tests.conftest import INTERNAL_REASON, NOW, OPERATOR, switch_on
from yongxu.orders.models import Order
from yongxu.payments.models import Payment

pytestmark = pytest.mark.django_db

ETA = NOW + timedelta(minutes=30)
PUBLIC_REASON = "We are upgrading the database"


@pytest.fixture
def closed_shop(frozen):
    """Full maintenance at NOW, back in 30 minutes."""
    return switch_on("full", reason=INTERNAL_REASON, public_reason=PUBLIC_REASON, eta=ETA)


def test_a_closed_page_is_503_with_retry_after_and_no_store(client, closed_shop):
    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "1800"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert PUBLIC_REASON in page
    assert INTERNAL_REASON not in page


def test_retry_after_counts_down_to_the_eta(client, closed_shop, frozen):
    frozen.shift(timedelta(minutes=20))

    assert client.get("/")["Retry-After"] == "600"


def test_the_api_answers_json(client, settings, closed_shop):
    response = client.get("/api/v1/products")

    assert response.status_code == 503
    assert response["Retry-After"] == "1800"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {"error": "maintenance", "message": PUBLIC_REASON, "capability": "api", "level": "full",
                               "public_reason": PUBLIC_REASON, "eta": ETA.isoformat(), "retry_after": 1800,
                               "status_url": f"{settings.SITE_URL}/status/"}


def test_a_page_asked_for_as_json_answers_json(client, closed_shop):
    response = client.get("/", HTTP_ACCEPT="application/json")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["error"], body["capability"], body["eta"]) == ("maintenance", "browse", ETA.isoformat())
    assert INTERNAL_REASON not in response.content.decode()


def test_the_internal_reason_shows_nowhere(client, closed_shop):
    answers = [client.get("/"), client.get("/api/v1/products"), client.get("/status.json"), client.get("/status/"),
               client.post("/p/anything/buy/", {"email": "buyer@example.com"})]

    assert [answer.status_code for answer in answers] == [503, 503, 200, 200, 503]
    assert not any(INTERNAL_REASON in answer.content.decode() for answer in answers)
    assert all(PUBLIC_REASON in answer.content.decode() for answer in answers)


def test_head_is_503_without_a_body(client, closed_shop):
    response = client.head("/")

    assert response.status_code == 503
    assert response.content == b""
    assert response["Retry-After"] == "1800"


def test_options_is_answered(client, closed_shop):
    response = client.options("/")

    assert response.status_code == 200


def test_a_refused_buy_form_says_nothing_happened_and_keeps_what_was_typed(client, frozen):
    product = make_product(keys=5)
    switch_on("readonly", public_reason=PUBLIC_REASON, eta=ETA)

    response = client.post(f"/p/{product.slug}/buy/", {"quantity": "3", "email": "typed@example.com",
                                                        "query_password": "hunter2-secret", "provider": "epay"})

    page = response.content.decode()
    assert response.status_code == 503
    assert "no order was placed and nothing was charged" in page
    assert 'value="typed@example.com"' in page
    assert 'value="3"' in page
    assert "hunter2-secret" not in page
    assert Order.objects.count() == 0
    assert Payment.objects.count() == 0
    assert available_count(product) == 5


def test_in_readonly_the_product_page_shows_purchases_paused_instead_of_the_form(client, frozen):
    product = make_product(keys=5)
    switch_on("readonly", public_reason=PUBLIC_REASON, eta=ETA)

    response = client.get(f"/p/{product.slug}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Purchases paused until" in page
    assert f'datetime="{ETA.isoformat()}"' in page
    assert PUBLIC_REASON in page
    assert f'action="/p/{product.slug}/buy/"' not in page
    assert "Buy now" not in page


def test_the_product_page_has_its_buy_form_when_open(client):
    product = make_product(keys=5)

    page = client.get(f"/p/{product.slug}/").content.decode()

    assert f'action="/p/{product.slug}/buy/"' in page
    assert "Purchases paused" not in page


def test_the_banner_shows_during_maintenance(client, frozen):
    switch_on("modules", modules=["delivery"], public_reason="Key delivery pauses briefly", eta=ETA)

    page = client.get("/").content.decode()

    assert 'class="banner active"' in page
    assert "Key delivery pauses briefly" in page


@pytest.mark.parametrize(("starts_in_hours", "lead_hours", "shown"), [(48, 72, True), (71, 72, True), (73, 72, False),
                                                                      (48, 24, False)])
def test_the_banner_announces_a_window_within_the_lead_time(client, settings, frozen, starts_in_hours, lead_hours, shown):
    settings.YONGXU_BANNER_LEAD_HOURS = lead_hours
    starts = NOW + timedelta(hours=starts_in_hours)
    services.close_capabilities([], source="manual", reason=INTERNAL_REASON, until=starts + timedelta(hours=2),
                                actor=OPERATOR, level="readonly", public_reason="Payment provider switch", starts_at=starts)

    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert ('class="banner upcoming"' in page) is shown
    assert ("Payment provider switch" in page) is shown
    assert 'class="banner active"' not in page
    assert INTERNAL_REASON not in page
