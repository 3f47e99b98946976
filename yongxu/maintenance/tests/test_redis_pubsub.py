"""With REDIS_URL, a change is announced on Redis (the version key and a pub/sub message), and every
node's gate refreshes on the message, without waiting for its next look at the channel."""

import os
import threading

import pytest
import redis

from yongxu.maintenance import channel
from yongxu.maintenance.snapshot import Gatekeeper
from yongxu.maintenance.tests.conftest import switch_on

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
WAIT = 5.0  # seconds, at most


@pytest.fixture
def redis_client(settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=WAIT)
    yield client
    client.close()


def wait_for_subscribers(client, name: str, count: int) -> None:
    """Bounded: a listener thread subscribes asynchronously."""
    subscribed = threading.Event()
    for _ in range(100):
        if client.pubsub_numsub(name)[0][1] >= count:
            subscribed.set()
            break
        subscribed.wait(WAIT / 100)
    assert subscribed.is_set(), f"nobody subscribed to {name} within {WAIT} s"


def test_announce_sets_the_key_and_publishes_the_version(redis_client):
    name, key = channel._names()
    subscriber = redis_client.pubsub()
    subscriber.subscribe(name)
    assert subscriber.get_message(timeout=WAIT)["type"] == "subscribe"

    channel.announce(42)

    message = subscriber.get_message(timeout=WAIT)
    subscriber.close()
    assert message is not None
    assert (message["type"], message["channel"], message["data"]) == ("message", name.encode(), b"42")
    assert redis_client.get(key) == b"42"
    assert channel.cheap_version() == 42


def test_another_node_refreshes_on_the_message(redis_client):
    node = Gatekeeper()  # a second node: its own snapshot, its own listener
    changed = threading.Event()
    node.on_change.append(lambda keeper: changed.set() if keeper.snapshot.closures else None)
    assert node.state().in_maintenance is False
    wait_for_subscribers(redis_client, channel._names()[0], 1)

    switch_on("readonly", public_reason="Upgrade")  # commits, then announces on Redis

    assert changed.wait(WAIT), f"the second node did not refresh within {WAIT} s"
    state = node.state()
    assert state.closed == {"checkout", "payment"}
    assert state.public_reason == "Upgrade"
