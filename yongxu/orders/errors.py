from django.utils.translation import gettext_lazy as _

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
