from django.contrib import admin

from yongxu.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "at", "action", "actor", "subject_type", "subject_id"]
    list_filter = ["action"]
    search_fields = ["action", "actor", "subject_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
