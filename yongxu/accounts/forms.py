"""Input parsing only: field types, sizes and the two passwords matching. The rules live in services.

Sizes are capped before anything is hashed: a 1 MB "password" is refused, not fed to argon2."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
