from django.contrib import admin

from yongxu.shop.models import ShopSettings
from yongxu.shop.services import save_shop_settings


@admin.register(ShopSettings)
class ShopSettingsAdmin(admin.ModelAdmin):
    """One settings page: the first row is the shop's; adding a second one is not offered."""

    list_display = ["name", "support_email", "default_currency", "order_timeout_minutes", "updated_at"]

    def has_add_permission(self, request):
        return not ShopSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        save_shop_settings(obj, actor=request.user)
