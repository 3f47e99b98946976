from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from yongxu.core.http import client_ip
from yongxu.payments.providers.base import IncomingNotification
from yongxu.payments.registry import UnknownProvider, get_provider
from yongxu.payments.services import receive_notification

KEPT_HEADERS = ("content-type", "user-agent", "stripe-signature", "x-forwarded-for")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def notify(request, provider: str):
    """Gateway callbacks, by GET or POST as real gateways send them. Never closed by maintenance."""
    try:
        gateway = get_provider(provider, enabled_only=False)
    except UnknownProvider:
        return HttpResponse("unknown provider", status=404, content_type="text/plain")
    body = request.body  # read first: multipart parsing may otherwise consume the stream
    params = {key: value for key, value in request.GET.items()}
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        params.update(request.POST.items())
    headers = {name: request.headers[name] for name in KEPT_HEADERS if name in request.headers}
    incoming = IncomingNotification(method=request.method, params=params, body=body,
                                    headers={k.lower(): v for k, v in headers.items()})
    if receive_notification(provider, incoming, remote_addr=client_ip(request)):
        body, status = gateway.ack_body, 200
    else:
        body, status = gateway.retry_body, 503
    # A refused (forged) callback is still answered "handled": a retry cannot make it authentic.
    return HttpResponse(body, status=status, content_type=gateway.ack_content_type)
