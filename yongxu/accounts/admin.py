from django.contrib import admin

from yongxu.accounts.forms import StaffAuthenticationForm
from yongxu.accounts.models import BuyerProfile, SignInLock, UserSession
from yongxu.core.admin import ReadOnlyAdmin

# Staff sign in through the same lockout as buyers (accounts.services.check_credentials).
admin.site.login_form = StaffAuthenticationForm


@admin.register(BuyerProfile)
class BuyerProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "email_verified_at", "language", "time_zone", "created_at"]
    list_filter = [("email_verified_at", admin.EmptyFieldListFilter), "language"]
    search_fields = ["user__username", "user__email"]


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "last_ip", "user_agent"]
    search_fields = ["user__username", "last_ip"]
    exclude = ["session_key"]  # the session key is the cookie: staff never need to read it
    date_hierarchy = "created_at"


@admin.register(SignInLock)
class SignInLockAdmin(ReadOnlyAdmin):
    """Accounts locked after too many failed sign-ins; the owner unlocks by the e-mailed link."""

    list_display = ["account", "created_at"]
    search_fields = ["account"]
