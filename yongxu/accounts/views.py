"""Thin views: parse the form, call one service, render. Every form here is POST + CSRF."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from yongxu.accounts import services
from yongxu.accounts.forms import EmailForm, SetPasswordForm, SignInForm, SignUpForm
from yongxu.core.errors import DomainError
from yongxu.core.http import client_ip, with_retry_after
from yongxu.core.ratelimit import hit
from yongxu.notices.services import remind_after_sign_in

# Mail-sending forms are limited per client, so nobody can use the shop to flood an inbox.
MAIL_LIMIT, MAIL_WINDOW = 10, 3600


def _posted(request):
    """The POST data, even when empty (an empty POST is a submitted form with every field missing)."""
    return request.POST if request.method == "POST" else None


def _refuse(form, error: DomainError) -> None:
    field = error.details.get("field")
    form.add_error(field if field in form.fields else None, str(error.message))


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return reverse("account-orders")


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("account-orders")
    form = SignUpForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            hit(f"signup:{client_ip(request)}", limit=MAIL_LIMIT, window=MAIL_WINDOW)
            user = services.sign_up(email=form.cleaned_data["email"], password=form.cleaned_data["password1"],
                                    language=request.LANGUAGE_CODE)
        except DomainError as error:
            _refuse(form, error)
        else:
            return render(request, "accounts/check_inbox.html", {"email": user.email})
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def signin(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignInForm(_posted(request))
    status, error = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.sign_in(request, email=form.cleaned_data["email"], password=form.cleaned_data["password"])
            except DomainError as refusal:
                _refuse(form, refusal)
                status, error = refusal.status, refusal
            else:
                remind_after_sign_in(request)  # a planned window soon: say so right away
                return redirect(_next_url(request))
        else:
            status = 400
    response = render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status)
    return with_retry_after(response, error) if error else response


@never_cache
def staff_login(request):
    """The Django admin's sign-in (its form checks the shared lockout): a lockout answers with its own
    status and Retry-After, like the buyers' sign-in."""
    response = admin.site.login(request)
    refusal = getattr(request, "signin_refusal", None)
    if refusal is not None:
        response.status_code = refusal.status
        with_retry_after(response, refusal)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def unlock(request, token: str):
    """The link e-mailed to a locked account: a button (so a mail scanner opening the link unlocks
    nothing), then the sign-in page."""
    if request.method == "GET":
        return render(request, "accounts/unlock.html")
    try:
        user = services.unlock_account(token)
    except DomainError as error:
        return render(request, "accounts/link_problem.html", {"error": error, "reset": True}, status=400)
    messages.success(request, _("Your account is unlocked. Sign in with your password."))
    return redirect("staff-login" if user.is_staff else "account-login")


@require_POST
def signout(request):
    services.sign_out(request)
    messages.success(request, _("You are signed out."))
    return redirect("home")


@never_cache
def verify(request, token: str):
    try:
        services.verify_email(token)
    except DomainError as error:
        return render(request, "accounts/link_problem.html", {"error": error, "resend": True}, status=400)
    messages.success(request, _("Your e-mail address is verified."))
    return redirect("account-orders" if request.user.is_authenticated else "account-login")


@never_cache
@require_http_methods(["GET", "POST"])
def verify_resend(request):
    initial = {"email": request.user.email} if request.user.is_authenticated else None
    form = EmailForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            hit(f"mail:{client_ip(request)}", limit=MAIL_LIMIT, window=MAIL_WINDOW)
        except DomainError as error:
            _refuse(form, error)
        else:
            services.resend_verification(form.cleaned_data["email"])
            return render(request, "accounts/check_inbox.html", {"email": form.cleaned_data["email"], "maybe": True})
    return render(request, "accounts/verify_resend.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = EmailForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            hit(f"mail:{client_ip(request)}", limit=MAIL_LIMIT, window=MAIL_WINDOW)
        except DomainError as error:
            _refuse(form, error)
        else:
            services.request_password_reset(form.cleaned_data["email"])
            return render(request, "accounts/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/password_reset.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, uidb64: str, token: str):
    try:
        services.check_reset_link(uidb64, token)
    except DomainError as error:
        return render(request, "accounts/link_problem.html", {"error": error, "reset": True}, status=400)
    form = SetPasswordForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_password(uidb64, token, password=form.cleaned_data["password1"])
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Your password is changed. Sign in with the new one."))
            return redirect("account-login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form},
                  status=400 if form.errors else 200)


@never_cache
@login_required
def orders(request):
    return render(request, "accounts/orders.html", {
        "orders": services.my_orders(request.user), "profile": services.profile_for(request.user),
        "sessions": services.live_sessions(request.user), "current_key": request.session.session_key})


@require_POST
@login_required
def sessions_revoke(request):
    """Two buttons: sign out the other browsers only, or every browser including this one."""
    others_only = request.POST.get("scope") == "others"
    current = request.session.session_key
    count = services.revoke_sessions(request.user, actor=request.user, keep_session_key=current if others_only else None)
    if others_only:
        messages.success(request, ngettext("Signed out of %(n)d other browser.", "Signed out of %(n)d other browsers.",
                                           count) % {"n": count})
        return redirect("account-orders")
    services.sign_out(request)
    messages.success(request, _("You are signed out everywhere."))
    return redirect(settings.LOGIN_URL)
