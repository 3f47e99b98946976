from django.contrib import admin

from yongxu.payments.models import Payment, PaymentNotification


class NotificationInline(admin.TabularInline):
    model = PaymentNotification
    fields = ["received_at", "method", "outcome", "detail", "remote_addr"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "order", "provider", "amount", "currency", "status", "source", "gateway_trade_no",
                    "created_at", "succeeded_at"]
    list_filter = ["provider", "status", "source"]
    search_fields = ["reference", "gateway_trade_no", "order__number"]
    inlines = [NotificationInline]


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "provider", "method", "outcome", "detail", "payment", "remote_addr"]
    list_filter = ["provider", "outcome"]
    search_fields = ["body", "query_string", "detail"]
