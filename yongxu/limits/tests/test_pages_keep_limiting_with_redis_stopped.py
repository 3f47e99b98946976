"""With REDIS_URL pointing at a Redis that has stopped, the rate-limited pages answer as usual — the
lookup's 11th try is a 429 with Retry-After, never a 500 — because the counts fall back to the database."""

import pytest
import time_machine
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_lookup_limit_holds_without_redis(own_redis, settings):
    settings.REDIS_URL = own_redis.url
    own_redis.stop()
    client = Client(REMOTE_ADDR="198.51.100.9")
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        answers = [client.post("/lookup/", {"email": "a@example.com", "number": "YX1"}) for _ in range(11)]

    assert [a.status_code for a in answers] == [200] * 10 + [429]
    assert answers[-1]["Retry-After"] == "600"
