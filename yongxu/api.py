"""JSON API v1: one NinjaAPI, a router per app. Errors are JSON with a stable ``error`` code."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError

from yongxu.catalog.api import router as catalog_router
from yongxu.core.errors import DomainError
from yongxu.orders.api import router as orders_router
from yongxu.payments.providers.base import GatewayError

api = NinjaAPI(title="Yongxu API", version="1", urls_namespace="api-v1",
               description="Products, orders, payments and order lookup of a Yongxu shop.")
api.add_router("/products", catalog_router)
api.add_router("/", orders_router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    return api.create_response(request, {"error": "invalid_input", "message": "The request is not valid.",
                                         "detail": exc.errors}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"error": "not_found", "message": "Not found."}, status=404)


@api.exception_handler(GatewayError)
def gateway_error(request, exc: GatewayError):
    return api.create_response(request, {"error": "gateway_unavailable", "message": str(exc),
                                         "retryable": exc.retryable}, status=502)
