from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from yongxu.core.admin import ReadOnlyAdmin
from yongxu.core.errors import DomainError
from yongxu.outbox import services
from yongxu.outbox.models import Effect


@admin.register(Effect)
class EffectAdmin(ReadOnlyAdmin):
    """Every e-mail, alert and webhook the shop owes someone, and how it went. History: never edited;
    a failed or "maybe sent" one can be sent again once staff have checked it did not arrive."""

    list_display = ["kind", "subject", "status", "attempts", "created_at", "available_at", "done_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "subject"]
    readonly_fields = [field.name for field in Effect._meta.fields]
    actions = ["send_again"]

    @admin.action(description=_("Send again (after checking it did not arrive)"), permissions=["retry"])
    def send_again(self, request, queryset):
        sent = 0
        for effect in queryset:
            try:
                services.retry_effect(effect, actor=request.user)
            except DomainError as error:
                messages.warning(request, f"{effect.key}: {error.message}")
            else:
                sent += 1
        if sent:
            messages.success(request, _("%(count)d queued again.") % {"count": sent})

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("outbox.retry_effect")
