"""JSON API v1: one NinjaAPI, a router per app. Errors are JSON with a stable ``error`` code."""

from functools import wraps

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.utils import check_csrf

from yongxu.catalog.api import router as catalog_router
from yongxu.core.capabilities import BROWSE, CHECKOUT, CONTROL, DELIVERY, LOOKUP, PAYMENT
from yongxu.core.errors import DomainError
from yongxu.core.http import with_retry_after
from yongxu.maintenance.api import router as maintenance_router
from yongxu.orders.api import router as orders_router
from yongxu.payments.providers.base import GatewayError

api = NinjaAPI(title="Yongxu API", version="1", urls_namespace="api-v1",
               description="Products, orders, payments and order lookup of a Yongxu shop.")
api.add_router("/products", catalog_router)
api.add_router("/", orders_router)
api.add_router("/maintenance", maintenance_router)

# Each operation's own capability, beside the `api` capability of the whole API: readonly closes
# creating orders and payments while products and lookups keep answering.
OPERATIONS = {
    ("api/v1/products", "GET"): BROWSE,
    ("api/v1/products/<slug>", "GET"): BROWSE,
    ("api/v1/orders", "POST"): CHECKOUT,
    ("api/v1/orders/<token>", "GET"): DELIVERY,
    ("api/v1/orders/<token>/payments", "POST"): PAYMENT,
    ("api/v1/lookup", "POST"): LOOKUP,
    ("api/v1/maintenance", "GET"): CONTROL,
    ("api/v1/maintenance", "POST"): CONTROL,
    ("api/v1/maintenance/windows", "POST"): CONTROL,
    ("api/v1/maintenance/windows/<window_id>/<action>", "POST"): CONTROL,
    ("api/v1/maintenance/closures/<closure_id>/end", "POST"): CONTROL,
}


class JsonRequired(DomainError):
    code = "unsupported_media_type"
    status = 415
    message = _("Send the request body as JSON, with the header Content-Type: application/json.")


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def json_or_csrf_token(run):
    """Every state-changing call says ``Content-Type: application/json`` or carries a valid CSRF token;
    anything else is refused before it is authenticated or parsed. A cross-site form can only send
    text/plain, x-www-form-urlencoded or multipart bodies (and JSON needs a CORS preflight we never
    allow), while ninja reads any body as JSON — so without this, any web page could make its
    visitors' browsers place orders. Bearer-token calls get no exception: JSON only."""
    @wraps(run)
    def guarded(request, *args, **kwargs):
        # An empty body (``curl -X POST``) carries nothing a form could have put there.
        if request.method not in SAFE_METHODS and request.content_type != "application/json" and _has_body(request) and (
                "Authorization" in request.headers or check_csrf(request) is not None):
            return api.on_exception(request, JsonRequired())
        return run(request, *args, **kwargs)

    return guarded


def _has_body(request) -> bool:
    return request.META.get("CONTENT_LENGTH", "") not in ("", "0") or "chunked" in request.headers.get(
        "Transfer-Encoding", "")


api.add_decorator(json_or_csrf_token, mode="view")


def operation_capability(route: str, method: str) -> str | None:
    return OPERATIONS.get((route, "GET" if method == "HEAD" else method))


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return with_retry_after(api.create_response(request, exc.as_dict(), status=exc.status), exc)


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    return api.create_response(request, {"error": "invalid_input", "message": "The request is not valid.",
                                         "detail": exc.errors}, status=422)


HTTP_ERROR_CODES = {400: "invalid_input", 401: "unauthorised", 403: "forbidden", 405: "method_not_allowed",
                    429: "rate_limited"}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """ninja's own refusals (unparsable body, missing token…) get a stable code like ours."""
    return api.create_response(request, {"error": HTTP_ERROR_CODES.get(exc.status_code, "http_error"),
                                         "message": str(exc)}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"error": "not_found", "message": "Not found."}, status=404)


@api.exception_handler(GatewayError)
def gateway_error(request, exc: GatewayError):
    return api.create_response(request, {"error": "gateway_unavailable", "message": str(exc),
                                         "retryable": exc.retryable}, status=502)
