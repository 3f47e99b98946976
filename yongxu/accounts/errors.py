"""What the account services refuse, each with a stable code and a message fit for the buyer."""

import math

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yongxu.core.errors import DomainError


class EmailTaken(DomainError):
    code = "email_taken"
    status = 409
    message = _("An account with this e-mail address already exists. Sign in, or reset your password.")


class WeakPassword(DomainError):
    code = "weak_password"
    message = _("Choose a stronger password.")


class InvalidEmail(DomainError):
    code = "invalid_email"
    message = _("Enter a valid e-mail address.")


class SignInFailed(DomainError):
    """The same words for an unknown e-mail and a wrong password: nobody learns who has an account."""

    code = "signin_failed"
    message = _("The e-mail address or the password is wrong.")


class SignInLocked(DomainError):
    """This client failed too often: a cool-down that ends by itself."""

    code = "signin_locked"
    status = 429

    def __init__(self, *, seconds: int):
        minutes = max(1, math.ceil(seconds / 60))
        super().__init__(ngettext("Too many attempts; try again in %(n)d minute.",
                                  "Too many attempts; try again in %(n)d minutes.", minutes) % {"n": minutes},
                         retry_after=seconds)


class AccountLocked(DomainError):
    """The account failed too often from everywhere: only the e-mailed link or a password reset opens
    it. The same words whether or not the account exists."""

    code = "account_locked"
    status = 403
    message = _("Too many failed sign-ins to this account, so it is locked. If the account exists, a link to "
                "unlock it has been e-mailed to its address; resetting the password unlocks it too.")


class LinkInvalid(DomainError):
    code = "link_invalid"
    message = _("This link is not valid. Check that you copied all of it, or ask for a new one.")


class LinkExpired(DomainError):
    code = "link_expired"
    message = _("This link has expired. Ask for a new one.")
