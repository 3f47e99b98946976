from django.contrib import admin

from yongxu.core import clock
from yongxu.ops.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "message", "subject_ref", "resolved_at"]
    list_filter = ["kind", "resolved_at"]
    actions = ["resolve"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Mark as resolved")
    def resolve(self, request, queryset):
        queryset.filter(resolved_at__isnull=True).update(resolved_at=clock.now())
