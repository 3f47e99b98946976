import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yongxu.core.admin import ReadOnlyAdmin, ReadOnlyInline
from yongxu.core.errors import DomainError
from yongxu.payments.models import Payment, PaymentNotification, PaymentStatus, Refund
from yongxu.payments.services import refund_payment


class RefundForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0.01)
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
