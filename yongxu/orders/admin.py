"""Orders in the admin. Every action calls a service; the services write the audit log."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from yongxu.core.admin import ReadOnlyInline
from yongxu.core.errors import DomainError
from yongxu.inventory.models import CardKey
from yongxu.orders import services
from yongxu.orders.models import Order, OrderStatus
from yongxu.payments.models import Payment
from yongxu.payments.services import confirm_payment_manually


class KeyInline(ReadOnlyInline):
    model = CardKey
    fields = ["masked", "status", "sold_at"]


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["reference", "provider", "amount", "currency", "status", "gateway_trade_no", "source", "created_at"]
    show_change_link = True


class ManualDeliveryForm(forms.Form):
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "cols": 70}),
                              help_text="What the buyer receives (account, recharge receipt…). Sent by e-mail.")


class ConfirmPaymentForm(forms.Form):
    trade_no = forms.CharField(max_length=90, help_text="The gateway's trade number for this money.")
    reason = forms.CharField(max_length=300, help_text="Why by hand (e.g. callback lost, checked in the gateway's "
                                                       "merchant console).")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "product_name", "quantity", "amount", "currency", "email", "status", "created_at",
                    "paid_at", "tools"]
    list_filter = ["status", "product", "created_at", "paid_at"]
    search_fields = ["number", "email"]
    date_hierarchy = "created_at"
    inlines = [KeyInline, PaymentInline]
    exclude = ["query_password", "delivery_encrypted", "token"]
    actions = ["resend_email"]

    def get_readonly_fields(self, request, obj=None):
        return [*(field.name for field in Order._meta.fields if field.name not in self.exclude), "emails"]

    @admin.display(description="e-mails")
    def emails(self, order):
        """Each e-mail the buyer is owed about this order and how it went (the outbox)."""
        from yongxu.outbox.models import Effect

        rows = list(Effect.objects.filter(subject=f"order:{order.number}").order_by("id"))
        if not rows:
            return "-"
        link = reverse("admin:outbox_effect_changelist") + f"?q=order:{order.number}"
        lines = [format_html("{} — {} ({} attempt(s)){}", row.payload.get("kind", row.kind), row.get_status_display(),
                             row.attempts, f": {row.last_error}" if row.last_error and row.status != "done" else "")
                 for row in rows]
        return format_html('{}<br><a href="{}">outbox</a>', format_html("<br>".join(["{}"] * len(lines)), *lines), link)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="")
    def tools(self, order):
        links = [format_html('<a href="/o/{}/" target="_blank">page</a>', order.token)]
        if order.status in (OrderStatus.PAID, OrderStatus.ATTENTION):
            links.append(format_html('<a href="{}">deliver…</a>', reverse("admin:orders_order_deliver", args=[order.pk])))
        if not order.is_paid:
            links.append(format_html('<a href="{}">confirm payment…</a>',
                                     reverse("admin:orders_order_confirm_payment", args=[order.pk])))
        return format_html(" · ".join(["{}"] * len(links)), *links)

    @admin.action(description="Resend the delivery e-mail")
    def resend_email(self, request, queryset):
        sent = 0
        for order in queryset:
            try:
                services.resend_delivery_email(order, actor=request.user)
                sent += 1
            except DomainError as error:
                messages.warning(request, f"{order.number}: {error.message}")
        if sent:
            messages.success(request, f"Queued {sent} e-mail(s).")

    def get_urls(self):
        return [
            path("<int:order_id>/deliver/", self.admin_site.admin_view(self.deliver_view), name="orders_order_deliver"),
            path("<int:order_id>/confirm-payment/", self.admin_site.admin_view(self.confirm_payment_view),
                 name="orders_order_confirm_payment"),
            *super().get_urls(),
        ]

    def _form_page(self, request, order, form, title, action):
        if request.method == "POST" and form.is_valid():
            try:
                action(form.cleaned_data)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"{order.number}: done.")
                return redirect("admin:orders_order_change", order.pk)
        return render(request, "admin/orders/order_form.html",
                      {**self.admin_site.each_context(request), "form": form, "order": order, "title": title,
                       "opts": self.model._meta})

    def deliver_view(self, request, order_id: int):
        if not request.user.has_perm("orders.change_order"):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=order_id)
        return self._form_page(request, order, ManualDeliveryForm(request.POST or None), f"Deliver {order.number}",
                               lambda data: services.deliver_manually(order, content=data["content"], actor=request.user))

    def confirm_payment_view(self, request, order_id: int):
        if not request.user.has_perm("payments.add_payment"):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=order_id)
        return self._form_page(request, order, ConfirmPaymentForm(request.POST or None),
                               f"Confirm payment of {order.number} ({order.amount} {order.currency}) by hand",
                               lambda data: confirm_payment_manually(order, trade_no=data["trade_no"],
                                                                     reason=data["reason"], actor=request.user))
