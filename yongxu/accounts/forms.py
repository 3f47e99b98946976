"""Input parsing only: field types, sizes and the two passwords matching. The rules live in services.

Sizes are capped before anything is hashed: a 1 MB "password" is refused, not fed to argon2."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yongxu.accounts.errors import SignInFailed
from yongxu.core.errors import DomainError

PASSWORD_MAX = 4096
EMAIL_MAX = 254


def _email(label, **attrs) -> forms.EmailField:
    return forms.EmailField(label=label, max_length=EMAIL_MAX,
                            widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": EMAIL_MAX, **attrs}))


def _password(label, autocomplete: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=PASSWORD_MAX, strip=False,
                           widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}))


class TwoPasswords(forms.Form):
    """password1 and password2 must be the same."""

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class SignUpForm(TwoPasswords):
    email = _email(_("E-mail"))
    password1 = _password(_("Password"), "new-password")
    password2 = _password(_("Password (again)"), "new-password")


class SignInForm(forms.Form):
    email = _email(_("E-mail"))
    password = _password(_("Password"), "current-password")


class EmailForm(forms.Form):
    email = _email(_("E-mail"))


class SetPasswordForm(TwoPasswords):
    password1 = _password(_("New password"), "new-password")
    password2 = _password(_("New password (again)"), "new-password")


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The Django admin's sign-in form, checked by the same lockout as the buyers' (check_credentials).
    A lockout is kept on the request as ``signin_refusal``, so the view can answer with its status."""

    def clean(self):
        from yongxu.accounts.services import check_credentials

        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = check_credentials(self.request, username=username, password=password)
            except SignInFailed:
                raise self.get_invalid_login_error() from None
            except DomainError as refusal:
                self.request.signin_refusal = refusal
                raise ValidationError(refusal.message, code=refusal.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
