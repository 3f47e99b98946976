from django.utils.translation import gettext_lazy as _

from yongxu.core.errors import DomainError


class SupportError(DomainError):
    code = "support_invalid"


class InvalidTicket(SupportError):
    code = "invalid_ticket"
    message = _("Please check the form.")


class OrderNotMatched(SupportError):
    # The same words whether the order does not exist or belongs to another address: nothing to learn.
    code = "order_not_matched"
    message = _("We could not match this order number with this e-mail address. Check both, "
                "or leave the order number empty.")


class AttachmentRefused(SupportError):
    code = "attachment_refused"
    message = _("This file cannot be attached.")


class InvalidAssignee(SupportError):
    code = "invalid_assignee"
    message = _("Tickets can only be assigned to staff.")
