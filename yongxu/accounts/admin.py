from django.contrib import admin

from yongxu.accounts.models import BuyerProfile, UserSession
from yongxu.core.admin import ReadOnlyAdmin


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
