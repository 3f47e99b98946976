"""The one seam to the outside world for payment gateways: HTTP with a timeout, JSON or raw bytes."""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from yongxu.payments.providers.base import GatewayError


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def request_raw(method: str, url: str, *, form: dict | None = None, json_body=None, body: bytes | None = None,
                headers: dict | None = None) -> RawResponse:
    """One request; an HTTP error status raises GatewayError (retryable for 5xx and 429) whose message
    carries the start of the gateway's answer, which is usually its error code."""
    if not url.startswith(("https://", "http://")):
        raise GatewayError(f"not an HTTP URL: {url[:40]!r}", retryable=False)
    content_type = None
    if form is not None:
        body, content_type = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    elif json_body is not None:
        body, content_type = json.dumps(json_body, ensure_ascii=False).encode(), "application/json"
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310 - scheme checked above
    if content_type and not request.has_header("Content-type"):
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=settings.PAYMENT_HTTP_TIMEOUT) as response:  # noqa: S310
            return RawResponse(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            detail = (exc.read() if exc.fp else b"")[:300].decode("utf-8", "replace")
        raise GatewayError(f"gateway answered HTTP {exc.code}: {detail}",
                           retryable=exc.code >= 500 or exc.code == 429, status=exc.code) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GatewayError(f"gateway unreachable: {exc}", retryable=True) from exc


def request_json(method: str, url: str, *, form: dict | None = None, json_body=None, headers: dict | None = None) -> dict:
    body = request_raw(method, url, form=form, json_body=json_body, headers=headers).body
    try:
        return json.loads(body)
    except ValueError as exc:
        raise GatewayError("gateway answered something that is not JSON", retryable=True) from exc
