"""Domain errors become answers in one place: whatever a view, a service or a template tag raises as a
DomainError reaches the buyer as the right page (HTML for people, JSON for the API and for
``Accept: application/json``) with its status — a rate limit is a 429 with ``Retry-After`` — never a 500
because one view forgot a ``try``. Views that re-render their own form with the error may still catch it."""

from yongxu.core.errors import DomainError
from yongxu.core.http import error_page


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return error_page(request, exception)
        return None
