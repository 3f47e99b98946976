from django.contrib import admin

from yongxu.audit.models import AuditEntry
from yongxu.core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "action", "actor", "subject_type", "subject_id"]
    list_filter = ["action"]
    search_fields = ["action", "actor", "subject_id"]

