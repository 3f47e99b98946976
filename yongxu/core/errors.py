"""Base domain error: a stable code for machines and a message safe to show a buyer."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    status = 400
    message = _("Something went wrong.")

    def __init__(self, message: str | None = None, *, code: str | None = None, **details: object):
        self.message = message or str(self.message)
        if code:
            self.code = code
        self.details = details
        super().__init__(self.message)

    def as_dict(self) -> dict:
        return {"error": self.code, "message": str(self.message), **self.details}


class NotFound(DomainError):
    code = "not_found"
    status = 404
    message = _("Not found.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    message = _("Too many attempts. Please wait a few minutes and try again.")
