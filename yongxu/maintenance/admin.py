from django.contrib import admin

from yongxu.maintenance.models import BackSubscriber, Closure, OperatorToken, PageContent


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    """Read-only history: changes go through the control room, the CLI or the API (audit-logged)."""

    list_display = ["id", "source", "level", "capabilities", "starts_at", "ends_at", "ended_at", "public_reason"]
    list_filter = ["level", "source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PageContent)
class PageContentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "promotion", "coupon_teaser"]


@admin.register(OperatorToken)
class OperatorTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "token_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # created with `yongxu maintenance token create NAME`, which shows the token once


@admin.register(BackSubscriber)
class BackSubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "created_at", "notified_at"]
