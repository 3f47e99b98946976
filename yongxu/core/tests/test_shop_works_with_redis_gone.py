"""REDIS_URL set and Redis stopped, or hung: every buyer page, the API, a gateway callback and the CLI keep
working — no 5xx, the payment is applied and the key e-mail goes out."""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from yongxu.maintenance.models import Closure

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_gone(own_redis, settings):
    settings.REDIS_URL = own_redis.url
    settings.CACHES = {"default": {"BACKEND": "yongxu.core.cache.ResilientRedisCache", "LOCATION": own_redis.url,
                                   "KEY_PREFIX": "gone", "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2}}}
    return own_redis


@pytest.mark.parametrize("fault", ["stopped", "hung"])
def test_buyers_pages_api_callbacks_and_cli_work(fault, redis_gone, client, product, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    from yongxu.payments.models import Payment
    from yongxu.payments.tests.conftest import EPAY_NOTIFY, epay_notification

    redis_gone.stop() if fault == "stopped" else redis_gone.hang()
    try:
        pages = [client.get(path) for path in ("/", f"/p/{product.slug}/", "/lookup/", "/support/", "/status/",
                                               "/status.json", "/readyz", "/api/v1/products")]
        with django_capture_on_commit_callbacks(execute=True):
            bought = client.post(f"/p/{product.slug}/buy/", {"quantity": "1", "email": "ann@example.com",
                                                             "provider": "epay"})
            api = client.post("/api/v1/orders", {"product": product.slug, "quantity": 1, "email": "bo@example.com"},
                              content_type="application/json")
        payment = Payment.objects.get(order__email="ann@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            callback = client.get(EPAY_NOTIFY + "?" + urlencode(epay_notification(payment)))
        call_command("maintenance", "on", "--level", "readonly")
        closed = client.post("/api/v1/orders", {"product": product.slug, "quantity": 1, "email": "cy@example.com"},
                             content_type="application/json")
        call_command("maintenance", "off")
    finally:
        if fault == "hung":
            redis_gone.resume()

    assert [page.status_code for page in pages] == [200, 200, 200, 200, 200, 200, 503, 200]  # readyz names the cache
    assert pages[6].json()["failing"] == ["cache"]
    assert (bought.status_code, api.status_code, callback.content, closed.status_code) == (302, 201, b"success", 503)
    payment.order.refresh_from_db()
    assert payment.order.status == "delivered"
    assert [m.to for m in mailoutbox if m.subject.endswith("your keys")] == [["ann@example.com"]]
    assert Closure.objects.get().ended_at is not None
