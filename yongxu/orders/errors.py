import math

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yongxu.core.errors import DomainError


class OrderError(DomainError):
    code = "order_invalid"


class InvalidQuantity(OrderError):
    code = "invalid_quantity"
    message = _("That quantity is not allowed for this product.")


class InvalidEmail(OrderError):
    code = "invalid_email"
    message = _("Please enter a valid e-mail address.")


class ProductUnavailable(OrderError):
    code = "product_unavailable"
    status = 404
    message = _("This product is not for sale.")


class OutOfStock(OrderError):
    code = "out_of_stock"
    status = 409
    message = _("Not enough stock for that quantity.")


class PurchaseLimitReached(OrderError):
    code = "purchase_limit"
    status = 409
    message = _("This e-mail address has reached the purchase limit for this product.")


class IllegalTransition(OrderError):
    code = "illegal_transition"
    status = 409
    message = _("The order cannot change to that state.")


class QueryPasswordInUrl(OrderError):
    code = "query_password_in_url"
    message = _("Send the query password in the X-Query-Password header, not in the URL: URLs are written to logs.")


class WrongQueryPassword(OrderError):
    code = "wrong_query_password"
    status = 403
    message = _("The query password is not correct.")


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


class TooManyOrders(OrderError):
    """One e-mail address ordered too often: nobody can flood an inbox with order mail."""

    code = "too_many_orders"
    status = 429

    def __init__(self, *, retry_after: int):
        minutes = _minutes(retry_after)
        super().__init__(ngettext("This e-mail address has placed many orders in a short time. Please try again in "
                                  "%(n)d minute.",
                                  "This e-mail address has placed many orders in a short time. Please try again in "
                                  "%(n)d minutes.", minutes) % {"n": minutes}, retry_after=retry_after)


class UnpaidOrdersLimit(OrderError):
    """One client holds as many unpaid orders (reserved keys) as it may."""

    code = "unpaid_orders_limit"
    status = 429

    def __init__(self, *, unpaid: int, retry_after: int):
        super().__init__(ngettext("You already have %(n)d unpaid order. Pay for it, or let it expire, before you "
                                  "order again.",
                                  "You already have %(n)d unpaid orders. Pay for one, or let it expire, before you "
                                  "order again.", unpaid) % {"n": unpaid}, retry_after=retry_after)


class ProofOfWorkRequired(OrderError):
    """Many orders from this client: the next one needs a proof of work (``proof_of_work`` says which)."""

    code = "proof_of_work_required"
    status = 429
    message = _("Many orders have come from your network just now, so your browser needs to do a quick check "
                "(it takes under a second) before this order is placed.")
