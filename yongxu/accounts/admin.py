from django.contrib import admin

from yongxu.accounts.models import BuyerProfile, UserSession


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the account services only; the admin shows, it does not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
