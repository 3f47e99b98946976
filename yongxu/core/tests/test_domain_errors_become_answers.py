"""A domain error that escapes a view becomes its answer in one place: past a rate limit a 429 with
Retry-After — the seconds left of the limit's window — (HTML for people, JSON for machines), never a 500."""

import pytest
import time_machine


@pytest.mark.django_db
def test_the_21st_bypass_link_request_is_a_429_with_retry_after(client):
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False) as clock:  # a 10-minute window starts
        for _ in range(20):
            assert client.get("/maintenance/bypass/not-a-secret/").status_code == 404
        clock.shift(60)
        response = client.get("/maintenance/bypass/not-a-secret/")

    assert response.status_code == 429
    assert response["Retry-After"] == "540"
    assert "Too many attempts" in response.content.decode()


@pytest.mark.django_db
def test_the_11th_back_subscription_is_a_429_and_subscribes_nobody(client):
    from yongxu.maintenance.models import BackSubscriber

    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):  # an hour's window starts
        for n in range(10):
            client.post("/status/subscribe/", {"email": f"b{n}@example.com"})
        response = client.post("/status/subscribe/", {"email": "eleventh@example.com"}, HTTP_ACCEPT="application/json")

    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert response["Retry-After"] == "3600"
    assert not BackSubscriber.objects.filter(email="eleventh@example.com").exists()
    assert BackSubscriber.objects.count() == 10
