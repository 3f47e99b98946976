"""Window updates are posted to webhook endpoints, signed with HMAC-SHA256 over "<timestamp>.<body>";
a 500 is retried by Huey with back-off until the endpoint answers 200; a 400 is not retried."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from huey.contrib.djhuey import HUEY

from yongxu.notices.models import WebhookDelivery, WebhookEndpoint
from yongxu.notices.tests.conftest import schedule

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
    """What the consumer does ``seconds`` later: run the retries whose time has come (Huey in process)."""
    frozen.shift(timedelta(seconds=seconds))
    tasks = HUEY.read_schedule()
    for task in tasks:
        HUEY.execute(task)
    return len(tasks)


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
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_a_500_is_retried_until_200(receiver, committed, frozen):
    WebhookEndpoint.objects.create(name="ops", url=receiver["url"], format="slack")
    receiver["answers"].extend([500])

    with committed():
        schedule(starts_in=timedelta(hours=30))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, 500)

    assert due_retries(frozen, 29) == 0  # backs off 30 s first
    assert due_retries(frozen, 2) == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("delivered", 2, 200)
    assert len(receiver["got"]) == 2
    assert receiver["got"][0]["body"] == receiver["got"][1]["body"]


def test_a_400_is_not_retried(receiver, committed, frozen):
    WebhookEndpoint.objects.create(name="ops", url=receiver["url"], format="discord")
    receiver["answers"].extend([400])

    with committed():
        schedule(starts_in=timedelta(hours=30))
    assert due_retries(frozen, 3600) == 0

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("failed", 1, 400)
    assert len(receiver["got"]) == 1
