"""The one seam to the outside world for payment gateways: JSON over HTTP with a timeout."""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from yongxu.payments.providers.base import GatewayError


def request_json(method: str, url: str, *, form: dict | None = None, headers: dict | None = None) -> dict:
    if not url.startswith(("https://", "http://")):
        raise GatewayError(f"not an HTTP URL: {url[:40]!r}", retryable=False)
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310 - scheme checked above
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=settings.PAYMENT_HTTP_TIMEOUT) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"gateway answered HTTP {exc.code}", retryable=exc.code >= 500 or exc.code == 429) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GatewayError(f"gateway unreachable: {exc}", retryable=True) from exc
    try:
        return json.loads(body)
    except ValueError as exc:
        raise GatewayError("gateway answered something that is not JSON", retryable=True) from exc
