from django.contrib import admin

from yongxu.core.admin import ReadOnlyAdmin
from yongxu.maintenance.admin import MaintenanceWindowAdmin
from yongxu.maintenance.models import MaintenanceWindow
from yongxu.notices.models import (
    Feedback,
    NoticeDelivery,
    NoticeRun,
    StatusDelivery,
    StatusSubscriber,
    Unsubscribe,
    WebhookDelivery,
    WebhookEndpoint,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class FeedbackInline(ReadOnlyInline):
    model = Feedback
    fields = ["created_at", "email", "message", "language", "handled"]
    readonly_fields = ["created_at", "email", "message", "language"]
    verbose_name_plural = "Buyers' requests before the window"

    def has_change_permission(self, request, obj=None):
        return True  # "handled" can be ticked


class NoticeRunInline(ReadOnlyInline):
    model = NoticeRun
    fields = ["point_hours", "total", "sent", "failed", "created_at", "started_at", "finished_at"]
    readonly_fields = fields


admin.site.unregister(MaintenanceWindow)


@admin.register(MaintenanceWindow)
class WindowWithNoticesAdmin(MaintenanceWindowAdmin):
    """The window's page, plus its advance notices' progress and the buyers' requests."""

    inlines = [*MaintenanceWindowAdmin.inlines, NoticeRunInline, FeedbackInline]


@admin.register(NoticeRun)
class NoticeRunAdmin(admin.ModelAdmin):
    list_display = ["window", "point_hours", "total", "sent", "failed", "progress", "started_at", "finished_at"]
    readonly_fields = ["window", "point_hours", "total", "sent", "failed", "created_at", "started_at", "finished_at"]

    @admin.display(description="progress")
    def progress(self, run: NoticeRun) -> str:
        return f"{round(100 * (run.sent + run.failed) / run.total) if run.total else 100}%"

    def has_add_permission(self, request):
        return False


class EmailDeliveryAdmin(ReadOnlyAdmin):
    """Who got which e-mail, and how it went: history, never edited."""

    list_filter = ["status"]
    search_fields = ["email"]


@admin.register(NoticeDelivery)
class NoticeDeliveryAdmin(EmailDeliveryAdmin):
    list_display = ["email", "run", "status", "attempts", "claimed_at", "sent_at", "error"]


@admin.register(StatusDelivery)
class StatusDeliveryAdmin(EmailDeliveryAdmin):
    list_display = ["email", "update", "status", "attempts", "claimed_at", "sent_at", "error"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "format", "url", "enabled", "public", "confirmed_at", "created_at"]
    list_filter = ["format", "enabled", "public"]
    readonly_fields = ["public", "confirmed_at", "subscribed_from"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["endpoint", "update", "status", "attempts", "last_status", "last_error", "delivered_at"]
    list_filter = ["status"]
    readonly_fields = ["endpoint", "update", "status", "attempts", "last_status", "last_error", "delivered_at"]


@admin.register(StatusSubscriber)
class StatusSubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "created_at", "confirmed_at"]
    search_fields = ["email"]


@admin.register(Unsubscribe)
class UnsubscribeAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at"]
    search_fields = ["email"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["window", "email", "created_at", "handled"]
    list_filter = ["handled"]
