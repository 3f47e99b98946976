"""The shop's own error handlers (``handler500`` in yongxu/urls.py)."""

import sys

from django.db import Error as DatabaseError
from django.http import HttpResponseServerError
from django.template.loader import render_to_string

from yongxu.core import unavailable


def server_error(request):
    """A database that went away is not a bug: the visitor gets the branded "temporarily unavailable" 503
    (with Retry-After; JSON for the API, plain for gateway callbacks). Anything else is a real 500, on a
    page that needs nothing but the template."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        return unavailable.response(request, reason="database")
    try:
        html = render_to_string("500.html")
    except Exception:  # noqa: BLE001
        html = "<h1>Server error</h1>"
    return HttpResponseServerError(html)
