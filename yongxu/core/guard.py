"""The request guard: input that no view, form or database should ever see is refused at the door, before
anything parses the request, with a clear 400 (413 when too large) — never a 500 from PostgreSQL refusing a
NUL byte, a decoder meeting broken UTF-8 or a worker filling its memory with an endless body.

Refused everywhere: a NUL byte in the path (raw or ``%00``), the query string, a header, a cookie, a form
field (urlencoded or multipart), a JSON string (``"\\u0000"`` or a lone surrogate escape) or any other body;
malformed UTF-8 in the path, the query string, an urlencoded form and any body that is not multipart; a
body larger than its route accepts, judged by ``Content-Length`` before a byte is read, and a body of
unknown length (chunked) read no further than that limit.

Gateway callbacks (``/pay/notify/…``) are refused only what cannot be stored (NUL bytes, too large): their
raw body is stored and its signature decides, so a gateway that sends another charset is still on record
for staff rather than refused unseen."""

import io
import json
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from yongxu.core.errors import DomainError
from yongxu.core.http import error_page
from yongxu.core.numbers import parse_int

CALLBACK_PREFIX = "/pay/notify/"
# Beside an upload: the form's other fields (a support message is up to 10,000 characters) and the framing.
FORM_ALLOWANCE = 64 * 1024
HEADERS_TO_CHECK = ("CONTENT_TYPE", "CONTENT_LENGTH")


class BadInput(DomainError):
    code = "bad_input"
    status = 400
    message = _("The request contains characters that cannot be accepted (a NUL byte, or text that is not "
                "UTF-8). Nothing was done.")


class TooLarge(DomainError):
    code = "too_large"
    status = 413
    message = _("The request is too large. Nothing was done.")


def too_large(limit: int) -> TooLarge:
    return TooLarge(_("The request is too large: at most %(size)s. Nothing was done.") % {"size": filesizeformat(limit)},
                    max_bytes=limit)


def upload_limits() -> dict[str, int]:
    """The routes that take uploads, by URL name, and the body each accepts. Every other route accepts
    YONGXU_MAX_BODY_BYTES."""
    attachment = settings.YONGXU_SUPPORT_ATTACHMENT_MAX_BYTES + FORM_ALLOWANCE
    return {"support": attachment, "support-ticket": attachment, "admin:support_ticket_reply": attachment,
            # a pasted list and an uploaded file, each up to the upload limit
            "admin:inventory_cardkey_import": 2 * settings.YONGXU_KEY_UPLOAD_MAX_BYTES + FORM_ALLOWANCE}


def body_limit(request) -> int:
    default = settings.YONGXU_MAX_BODY_BYTES
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return default
    return max(default, upload_limits().get(match.view_name, default))


def refusal(request, error: DomainError) -> HttpResponse:
    """The one answer to a refused request: plain text to a gateway, JSON to the API and to clients that
    ask for it, the shop's error page (in the buyer's language) to people."""
    if request.path_info.startswith(CALLBACK_PREFIX):
        return HttpResponse(error.code, status=error.status, content_type="text/plain; charset=utf-8")
    try:
        return error_page(request, error)
    except Exception:  # the page needs the shop's settings; a refusal must not depend on the database
        return HttpResponse(f"<!doctype html><title>{error.status}</title><p>{escape(error.message)}</p>",
                            status=error.status)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except (BadInput, TooLarge) as error:
            return refusal(request, error)
        return self.get_response(request)


def check_request(request) -> None:
    """Raise BadInput or TooLarge for a request no view should see (see the module's docstring)."""
    meta = request.META
    callback = request.path_info.startswith(CALLBACK_PREFIX)
    # Django has decoded the path already and written the bytes that are not UTF-8 back as "%XX": one more
    # decoding finds those (and a "%00" that was sent as "%2500").
    _check_text(request.path_info, utf8=True, raw=False)
    _check_text(meta.get("QUERY_STRING", ""), utf8=not callback, raw=True)
    for name, value in meta.items():
        if (name.startswith("HTTP_") or name in HEADERS_TO_CHECK) and isinstance(value, str) and "\x00" in value:
            raise BadInput()
    # A quoted cookie may spell a NUL as an octal escape ("\000"), which the cookie parser decodes.
    if "\\" in meta.get("HTTP_COOKIE", "") and any("\x00" in value for value in request.COOKIES.values()):
        raise BadInput()
    _check_body(request, callback=callback)


def _wsgi_bytes(text: str) -> bytes:
    try:
        return text.encode("latin-1")  # PEP 3333: the bytes as they came, one character each
    except UnicodeEncodeError:
        return text.encode("utf-8")  # a server that has decoded them already


def _check_text(text: str, *, utf8: bool, raw: bool) -> None:
    """``raw``: WSGI text (each character one byte as it came); otherwise text Django has decoded."""
    if not text or (text.isascii() and "%" not in text and "\x00" not in text):
        return
    _check_bytes(unquote_to_bytes(_wsgi_bytes(text) if raw else text.encode("utf-8", "surrogatepass")), utf8=utf8)


def _check_bytes(data: bytes, *, utf8: bool) -> None:
    if b"\x00" in data:
        raise BadInput()
    if utf8 and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput() from None


def _check_body(request, *, callback: bool) -> None:
    meta = request.META
    declared = meta.get("CONTENT_LENGTH") or ""
    if declared:
        length = parse_int(declared, max_digits=15)
        if length is None:
            raise BadInput()
        if length > settings.YONGXU_MAX_BODY_BYTES and length > (limit := body_limit(request)):
            raise too_large(limit)
    elif "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
        length = _read_chunked(request)
    else:
        return
    if not length:
        return
    try:
        if request.content_type == "multipart/form-data" and not callback:
            _check_multipart(request)
            return
        body = request.body
    except RequestDataTooBig:
        raise TooLarge() from None
    except (MultiPartParserError, SuspiciousOperation, UnreadablePostError):
        raise BadInput() from None
    if request.content_type == "application/x-www-form-urlencoded":
        _check_bytes(unquote_to_bytes(body), utf8=not callback)
    _check_bytes(body, utf8=not callback)
    if not _json_strings_ok(body):
        raise BadInput()


def _read_chunked(request) -> int:
    """A body of unknown length, read no further than the route's limit and kept for the view."""
    limit = body_limit(request)
    data = request.META["wsgi.input"].read(limit + 1)
    if len(data) > limit:
        raise too_large(limit)
    request._stream = LimitedStream(io.BytesIO(data), len(data))
    request.META["CONTENT_LENGTH"] = str(len(data))
    return len(data)


def _check_multipart(request) -> None:
    # File contents are the services' to judge (a PNG holds NUL bytes); names and fields are text.
    texts = [*request.POST.keys(), *(v for values in request.POST.lists() for v in values[1]),
             *(f.name or "" for files in request.FILES.lists() for f in files[1])]
    if any("\x00" in text for text in texts):
        raise BadInput()


def _json_strings_ok(body: bytes) -> bool:
    """False when a JSON body spells a NUL or a lone surrogate with an escape (``"\\u0000"``, ``"\\ud800"``):
    valid JSON that no database column can hold. Bodies that are not JSON are the parser's to refuse."""
    if b"\\u" not in body:
        return True
    try:
        stack = [json.loads(body)]
    except (ValueError, RecursionError):
        return True
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or not _encodable(item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
