"""Webhook subscriptions from the status page. Anyone may ask, so the endpoint must prove it wants the
posts: it is sent a signed challenge (a JSON POST with a random ``challenge``) and activated only if it
answers 2xx echoing it (``{"challenge": "..."}`` or the bare value). Only http(s) URLs; no private,
loopback, link-local or otherwise non-global addresses (checked at subscription and before every post,
redirects are not followed) unless settings.DEBUG or settings.YONGXU_WEBHOOK_ALLOW_PRIVATE."""

import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from yongxu.audit.services import record
from yongxu.core import clock
from yongxu.notices.channels.base import sign
from yongxu.notices.models import WebhookEndpoint, WebhookFormat, new_secret
from yongxu.notices.services import NoticeError

CHALLENGE_TIMEOUT = 5
MAX_ANSWER = 4096


def private_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "YONGXU_WEBHOOK_ALLOW_PRIVATE", False))


def check_url(url: str) -> str:
    """The URL if it is an http(s) URL whose host resolves to public addresses only; NoticeError if not."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        parts, port = None, 0
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise NoticeError(_("Enter an http:// or https:// address."), code="bad_webhook_url", field="url")
    if parts.username or parts.password:
        raise NoticeError(_("Leave the user name and password out of the address."), code="bad_webhook_url", field="url")
    if private_allowed():
        return url
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        raise NoticeError(_("This address cannot be reached."), code="webhook_unreachable", field="url") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            raise NoticeError(_("Webhooks can only go to public internet addresses."), code="webhook_private",
                              field="url")
    return url


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ARG002 - urllib's signature
        return None  # a redirect could lead anywhere (a private address): it is an answer of its own, not followed


_opener = urllib.request.build_opener(_NoRedirects)


def open_checked(request: urllib.request.Request, timeout: float):
    """urlopen for anyone's URL: the address is checked first, redirects are not followed."""
    check_url(request.full_url)
    return _opener.open(request, timeout=timeout)


def challenge(url: str, secret: str) -> bool:
    """POST a signed challenge; True if the endpoint answered 2xx and echoed it."""
    value = secrets.token_urlsafe(24)
    body = json.dumps({"event": "webhook.challenge", "challenge": value,
                       "status_url": settings.SITE_URL + reverse("status")}, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 - checked by open_checked
        "Content-Type": "application/json", "User-Agent": "Yongxu-Notices/1", "X-Yongxu-Event": "webhook.challenge",
        "X-Yongxu-Timestamp": timestamp, "X-Yongxu-Signature": "sha256=" + sign(secret, timestamp, body)})
    try:
        with open_checked(request, min(CHALLENGE_TIMEOUT, settings.YONGXU_WEBHOOK_TIMEOUT)) as response:
            if not 200 <= response.status < 300:
                return False
            answer = response.read(MAX_ANSWER).decode("utf-8", "replace").strip()
    except (urllib.error.URLError, TimeoutError, OSError, ValueError):
        return False
    try:
        echoed = json.loads(answer).get("challenge")
    except (ValueError, AttributeError):
        echoed = answer
    return isinstance(echoed, str) and secrets.compare_digest(echoed, value)


def subscribe_webhook(*, url: str, ip: str | None, actor) -> WebhookEndpoint:
    """Challenge the URL and, if it answers, activate it (generic JSON, signed with a new secret, which
    the caller shows once). Asking again for an active URL that still answers rotates its secret."""
    url = check_url(url)
    secret = new_secret()
    if not challenge(url, secret):
        raise NoticeError(_("The address did not answer the challenge. It must reply to our POST with the "
                            "challenge it received."), code="webhook_challenge_failed", field="url")
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(url=url, public=True).first()
        if endpoint is None:
            endpoint = WebhookEndpoint(url=url, public=True, format=WebhookFormat.GENERIC,
                                       name=(urlsplit(url).hostname or "webhook")[:100])
        endpoint.secret, endpoint.enabled, endpoint.confirmed_at, endpoint.subscribed_from = secret, True, clock.now(), ip
        endpoint.save()
        record("notices.webhook_subscribed", actor=actor, subject=endpoint, data={"url": url})
    return endpoint
