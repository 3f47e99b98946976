from django.contrib import admin

from yongxu.planner.models import Promotion, SpecialDate, TrafficImport


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_at", "ends_at", "expected_uplift"]


@admin.register(SpecialDate)
class SpecialDateAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_at", "ends_at", "expected_surge"]


@admin.register(TrafficImport)
class TrafficImportAdmin(admin.ModelAdmin):
    """Read-only: histories come in through `yongxu traffic import`."""

    list_display = ["file_name", "source", "time_zone", "lines", "buckets", "gmv", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
