import json
import secrets

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yongxu.audit.services import record
from yongxu.core.admin import ReadOnlyAdmin, ReadOnlyInline
from yongxu.core.errors import DomainError
from yongxu.core.forms import DecimalField
from yongxu.inventory.crypto import mask
from yongxu.payments.models import GatewaySettings, Payment, PaymentNotification, PaymentStatus, Refund
from yongxu.payments.registry import PROTECTED_KEYS
from yongxu.payments.services import refund_payment


class RefundForm(forms.Form):
    amount = DecimalField(max_digits=12, decimal_places=2, min_value=0.01)
    reason = forms.CharField(max_length=300, help_text=_("Shown to the buyer in the refund e-mail."))
    # Made when the form is shown: submitting the same form twice makes one refund.
    request_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ["created_at", "amount", "currency", "status", "reason", "request_id", "gateway_refund_id", "created_by"]


class NotificationInline(ReadOnlyInline):
    model = PaymentNotification
    fields = ["received_at", "method", "outcome", "detail", "remote_addr"]
    show_change_link = True


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "order", "provider", "amount", "currency", "status", "source", "gateway_trade_no",
                    "created_at", "succeeded_at"]
    list_filter = ["provider", "status", "source"]
    search_fields = ["reference", "gateway_trade_no", "order__number"]
    inlines = [RefundInline, NotificationInline]
    readonly_fields = ["refund_link"]

    @admin.display(description=_("Refund"))
    def refund_link(self, obj):
        if obj.status != PaymentStatus.SUCCEEDED:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>', reverse("admin:payments_payment_refund", args=[obj.pk]),
                           _("Refund…"))

    def get_urls(self):
        return [path("<int:pk>/refund/", self.admin_site.admin_view(self.refund_view), name="payments_payment_refund"),
                *super().get_urls()]

    def refund_view(self, request, pk: int):
        """Full or partial refund: through the gateway's API where it has one, else recorded as manual."""
        if not request.user.has_perm("payments.add_refund"):
            raise PermissionDenied
        payment = get_object_or_404(Payment, pk=pk)
        form = RefundForm(request.POST or None, initial={"amount": payment.amount, "request_id": secrets.token_hex(12)})
        if request.method == "POST" and form.is_valid():
            try:
                refund = refund_payment(payment, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"],
                                        actor=f"staff:{request.user.get_username()}",
                                        request_id=form.cleaned_data["request_id"])
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Refund %(id)s: %(status)s.") % {"id": refund.request_id,
                                                                           "status": refund.get_status_display()})
                return redirect("admin:payments_payment_change", payment.pk)
        context = {**self.admin_site.each_context(request), "title": _("Refund %(ref)s") % {"ref": payment.reference},
                   "payment": payment, "form": form, "opts": self.model._meta, "refunds": payment.refunds.all()}
        return TemplateResponse(request, "payments/admin_refund.html", context)


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "provider", "method", "outcome", "detail", "payment", "remote_addr"]
    list_filter = ["provider", "outcome"]
    search_fields = ["body", "query_string", "detail"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "payment", "amount", "currency", "status", "reason", "gateway_refund_id", "created_by"]
    list_filter = ["status"]
    search_fields = ["request_id", "payment__reference", "payment__order__number", "gateway_refund_id"]


class GatewaySettingsForm(forms.ModelForm):
    """Credentials are write-only: a new JSON replaces the stored one, blank keeps it, and what is stored
    is only ever shown as key names with masked values."""

    name = forms.ChoiceField(choices=())
    new_credentials = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        label=_("New credentials (JSON)"),
        help_text=_('Settings to override, e.g. {"app_id": "…", "private_key": "-----BEGIN…"}. Stored encrypted; '
                    "leave blank to keep the stored ones."))
    clear_credentials = forms.BooleanField(required=False, label=_("Forget the stored credentials"))

    class Meta:
        model = GatewaySettings
        fields = ["name", "enabled", "display_name", "sort_order", "min_amount", "max_amount", "fee_fixed",
                  "fee_percent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(name, name) for name in settings.YONGXU_PAYMENT_PROVIDERS]

    def clean_new_credentials(self) -> dict | None:
        text = self.cleaned_data["new_credentials"].strip()
        if not text:
            return None
        try:
            values = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from exc
        if not isinstance(values, dict) or not all(isinstance(key, str) for key in values):
            raise forms.ValidationError(_("Give a JSON object of setting names and values."))
        if PROTECTED_KEYS & values.keys():
            raise forms.ValidationError(_("These settings cannot be set here: %(keys)s") % {
                "keys": ", ".join(sorted(PROTECTED_KEYS & values.keys()))})
        return values

    def save(self, commit=True):
        row = super().save(commit=False)
        if self.cleaned_data.get("clear_credentials"):
            row.set_credentials({})
        elif self.cleaned_data.get("new_credentials") is not None:
            row.set_credentials(self.cleaned_data["new_credentials"])
        if commit:
            row.save()
        return row


@admin.register(GatewaySettings)
class GatewaySettingsAdmin(admin.ModelAdmin):
    form = GatewaySettingsForm
    list_display = ["name", "enabled", "display_name", "sort_order", "min_amount", "max_amount", "fee_fixed",
                    "fee_percent", "has_credentials", "updated_at"]
    list_editable = ["enabled", "sort_order"]
    readonly_fields = ["stored_credentials"]
    fieldsets = [
        (None, {"fields": ["name", "enabled", "display_name", "sort_order"]}),
        (_("Limits and fee (the fee is added to what the buyer pays)"),
         {"fields": ["min_amount", "max_amount", "fee_fixed", "fee_percent"]}),
        (_("Credentials"), {"fields": ["stored_credentials", "new_credentials", "clear_credentials"]}),
    ]

    @admin.display(boolean=True, description=_("Credentials"))
    def has_credentials(self, obj) -> bool:
        return bool(obj.credentials)

    @admin.display(description=_("Stored credentials"))
    def stored_credentials(self, obj) -> str:
        if obj is None or not obj.credentials:
            return "—"
        try:
            values = obj.get_credentials()
        except Exception:  # noqa: BLE001 - a wrong key must not break the page
            return _("stored, but cannot be decrypted with this server's key")
        return ", ".join(f"{key}: {mask(str(value))}" for key, value in sorted(values.items()))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [name for name in form.changed_data if name != "new_credentials" or form.cleaned_data[name]]
        record("payment.gateway_settings_changed", actor=f"staff:{request.user.get_username()}", subject=obj,
               data={"name": obj.name, "changed": changed, "enabled": obj.enabled})
