from django.contrib import admin

from yongxu.maintenance.admin import MaintenanceWindowAdmin
from yongxu.maintenance.models import MaintenanceWindow
from yongxu.notices.models import Feedback, NoticeRun, StatusSubscriber, Unsubscribe, WebhookEndpoint


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
    fields = ["point_hours", "total", "progress", "created_at"]
    readonly_fields = fields

    @admin.display(description="e-mails (outbox)")
    def progress(self, run: NoticeRun) -> str:
        return describe_progress(run)


def describe_progress(run: NoticeRun) -> str:
    counts = run.progress()
    return ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "-"


admin.site.unregister(MaintenanceWindow)


@admin.register(MaintenanceWindow)
class WindowWithNoticesAdmin(MaintenanceWindowAdmin):
    """The window's page, plus its advance notices' progress and the buyers' requests."""

    inlines = [*MaintenanceWindowAdmin.inlines, NoticeRunInline, FeedbackInline]


@admin.register(NoticeRun)
class NoticeRunAdmin(admin.ModelAdmin):
    """A run's e-mails are outbox effects (subject ``notice-run:<id>``): their states are its progress."""

    list_display = ["window", "point_hours", "total", "progress", "created_at"]
    readonly_fields = ["window", "point_hours", "total", "progress", "created_at"]

    @admin.display(description="e-mails (outbox)")
    def progress(self, run: NoticeRun) -> str:
        return describe_progress(run)

    def has_add_permission(self, request):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "format", "url", "enabled", "public", "confirmed_at", "created_at"]
    list_filter = ["format", "enabled", "public"]
    readonly_fields = ["public", "confirmed_at", "subscribed_from"]


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
