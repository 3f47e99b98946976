"""Webhooks from the status page: only http(s), only public addresses (unless allowed for tests and
DEBUG), activated only when the endpoint echoes the signed challenge, rate-limited per client; then
window updates reach it signed with the secret shown once, and a 410 Gone unsubscribes it."""

import hashlib
import hmac
import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache

from yongxu.notices.models import WebhookEndpoint
from yongxu.notices.tests.conftest import schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint_server():
    """A real HTTP server on loopback. ``mode``: echo the challenge as JSON, as bare text, answer wrongly,
    redirect elsewhere, or answer 410 Gone."""
    got, state = [], {"mode": "json"}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append({"headers": dict(self.headers), "body": body})
            document = json.loads(body)
            mode = state["mode"]
            if mode == "redirect":
                self.send_response(307)
                self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.end_headers()
                return
            self.send_response(410 if mode == "gone" else 200)
            self.end_headers()
            if "challenge" in document and mode != "gone":
                answer = {"json": json.dumps({"challenge": document["challenge"]}), "bare": document["challenge"],
                          "wrong": json.dumps({"challenge": "nope"})}[mode]
                self.wfile.write(answer.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}/hook", "got": got, "state": state}
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def test_an_endpoint_that_echoes_the_challenge_is_activated_and_gets_signed_updates(client, settings, endpoint_server,
                                                                                   committed):
    settings.YONGXU_WEBHOOK_ALLOW_PRIVATE = True

    response = client.post("/status/subscribe/webhook/", {"url": endpoint_server["url"]})

    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.public, endpoint.enabled, endpoint.confirmed_at is not None) == (True, True, True)
    assert endpoint.secret in response.content.decode()
    [challenge] = endpoint_server["got"]
    assert challenge["headers"]["X-Yongxu-Event"] == "webhook.challenge"
    signed = challenge["headers"]["X-Yongxu-Timestamp"].encode() + b"." + challenge["body"]
    assert challenge["headers"]["X-Yongxu-Signature"] == "sha256=" + hmac.new(
        endpoint.secret.encode(), signed, hashlib.sha256).hexdigest()

    with committed():
        schedule(starts_in=timedelta(hours=30), title="Payment provider switch")
    update = endpoint_server["got"][-1]
    assert json.loads(update["body"])["event"] == "window.scheduled"
    signed = update["headers"]["X-Yongxu-Timestamp"].encode() + b"." + update["body"]
    assert update["headers"]["X-Yongxu-Signature"] == "sha256=" + hmac.new(
        endpoint.secret.encode(), signed, hashlib.sha256).hexdigest()

    endpoint_server["state"]["mode"] = "gone"  # the subscriber's way out
    with committed():
        schedule(starts_in=timedelta(hours=40), title="Another")
    assert WebhookEndpoint.objects.get().enabled is False


def test_a_bare_echo_also_counts(client, settings, endpoint_server):
    settings.YONGXU_WEBHOOK_ALLOW_PRIVATE = True
    endpoint_server["state"]["mode"] = "bare"

    client.post("/status/subscribe/webhook/", {"url": endpoint_server["url"]})

    assert WebhookEndpoint.objects.get().enabled


@pytest.mark.parametrize("mode", ["wrong", "redirect"])
def test_an_endpoint_that_does_not_echo_is_not_added(client, settings, endpoint_server, mode):
    settings.YONGXU_WEBHOOK_ALLOW_PRIVATE = True
    endpoint_server["state"]["mode"] = mode

    response = client.post("/status/subscribe/webhook/", {"url": endpoint_server["url"]}, follow=True)

    assert WebhookEndpoint.objects.count() == 0
    assert "did not answer the challenge" in response.content.decode()


@pytest.mark.parametrize("url", ["ftp://example.com/hook", "javascript:alert(1)", "http://user:pw@example.com/",
                                 "http://127.0.0.1/hook", "http://localhost:8000/hook", "http://10.1.2.3/hook",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]/hook", "http://0.0.0.0/"])
def test_other_schemes_and_private_addresses_are_refused(client, settings, url):
    settings.DEBUG = False
    settings.YONGXU_WEBHOOK_ALLOW_PRIVATE = False

    response = client.post("/status/subscribe/webhook/", {"url": url}, follow=True)

    assert WebhookEndpoint.objects.count() == 0
    assert re.search(r"http:// or https://|user name|public internet addresses", response.content.decode())


def test_a_public_endpoint_that_turns_private_is_not_posted_to(settings, endpoint_server, committed):
    WebhookEndpoint.objects.create(name="was public", url=endpoint_server["url"], public=True)
    settings.YONGXU_WEBHOOK_ALLOW_PRIVATE = False

    with committed():
        schedule(starts_in=timedelta(hours=30))

    assert endpoint_server["got"] == []
    from yongxu.outbox.models import Effect

    assert Effect.objects.get(kind="notices.webhook").status == "failed"


def test_subscribing_is_rate_limited_per_client(client, settings, endpoint_server):
    settings.YONGXU_WEBHOOK_ALLOW_PRIVATE = True
    endpoint_server["state"]["mode"] = "wrong"
    pages = [client.post("/status/subscribe/webhook/", {"url": endpoint_server["url"]}, follow=True).content.decode()
             for _ in range(7)]

    assert len(endpoint_server["got"]) == 5  # the sixth and seventh never reach the URL
    assert "Too many attempts" in pages[5] and "Too many attempts" not in pages[4]
