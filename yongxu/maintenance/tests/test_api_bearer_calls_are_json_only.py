"""The operators' Bearer-token calls take JSON only: a text/plain body is refused with 415 before the
token is even looked at, and changes nothing."""

import json

import pytest
from django.test import Client

from yongxu.audit.models import AuditEntry
from yongxu.maintenance.models import Closure

pytestmark = pytest.mark.django_db


def test_a_text_plain_switch_is_refused(settings):
    client = Client(enforce_csrf_checks=True)
    settings.YONGXU_OPERATOR_TOKEN = "t" * 40
    body = json.dumps({"action": "on", "level": "full"})

    refused = client.post("/api/v1/maintenance", body, content_type="text/plain", HTTP_AUTHORIZATION="Bearer " + "t" * 40)
    with_csrf_pair = client.post("/api/v1/maintenance", body, content_type="text/plain",
                                 HTTP_AUTHORIZATION="Bearer " + "t" * 40, HTTP_X_CSRFTOKEN="a" * 32,
                                 HTTP_COOKIE="csrftoken=" + "a" * 32)

    assert refused.status_code == 415
    assert refused.json()["error"] == "unsupported_media_type"
    assert with_csrf_pair.status_code == 415
    assert Closure.objects.count() == 0
    assert AuditEntry.objects.count() == 0
