"""Window updates are posted to webhook endpoints, signed with HMAC-SHA256 over "<timestamp>.<body>", with
a stable delivery id; a 500 is retried by the outbox with back-off until the endpoint answers 200 (the same
body and delivery id each time); a 400 is not retried."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from yongxu.notices.models import WebhookEndpoint
from yongxu.notices.tests.conftest import schedule
from yongxu.outbox import services as outbox
from yongxu.outbox.models import Effect

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    """A real HTTP server on loopback answering with the scripted statuses, recording what it got."""
    got, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append({"headers": dict(self.headers), "body": body})
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}/hook", "got": got, "answers": answers}
    server.shutdown()
    server.server_close()


def due_retries(frozen, seconds: int) -> int:
    """What the worker's outbox dispatcher does ``seconds`` later: run the retries whose time has come."""
    frozen.shift(timedelta(seconds=seconds))
    return outbox.drain()


def delivery() -> Effect:
    return Effect.objects.get(kind="notices.webhook")


def test_the_signature_verifies_with_the_endpoint_secret(receiver, committed):
    endpoint = WebhookEndpoint.objects.create(name="ops", url=receiver["url"], format="generic")

    with committed():
        window = schedule(starts_in=timedelta(hours=30), title="Payment provider switch")

    [request] = receiver["got"]
    headers, body = request["headers"], request["body"]
    expected = hmac.new(endpoint.secret.encode(), headers["X-Yongxu-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Yongxu-Signature"], f"sha256={expected}")
    payload = json.loads(body)
    assert (payload["event"], payload["window"]["id"], payload["window"]["title"]) == (
        "window.scheduled", window.pk, "Payment provider switch")
    assert delivery().status == "done"
    assert headers["X-Yongxu-Delivery"] == delivery().key


def test_a_500_is_retried_until_200(receiver, committed, frozen):
    WebhookEndpoint.objects.create(name="ops", url=receiver["url"], format="slack")
    receiver["answers"].extend([500])

    with committed():
        schedule(starts_in=timedelta(hours=30))
    assert (delivery().status, delivery().attempts, delivery().last_error) == ("pending", 1, "ChannelError: HTTP 500")

    assert due_retries(frozen, 29) == 0  # backs off 30 s first
    assert due_retries(frozen, 2) == 1

    assert (delivery().status, delivery().attempts) == ("done", 2)
    assert len(receiver["got"]) == 2
    assert receiver["got"][0]["body"] == receiver["got"][1]["body"]
    assert receiver["got"][0]["headers"]["X-Yongxu-Delivery"] == receiver["got"][1]["headers"]["X-Yongxu-Delivery"]


def test_a_400_is_not_retried(receiver, committed, frozen):
    WebhookEndpoint.objects.create(name="ops", url=receiver["url"], format="discord")
    receiver["answers"].extend([400])

    with committed():
        schedule(starts_in=timedelta(hours=30))
    assert due_retries(frozen, 3600) == 0

    assert (delivery().status, delivery().attempts, delivery().last_error) == ("failed", 1, "Permanent: HTTP 400")
    assert len(receiver["got"]) == 1
