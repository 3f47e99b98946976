"""Tickets in the admin: the conversation (internal notes marked) beside the linked order, a reply
form handled by reply_as_staff, and status/priority/assignee saved through change_ticket."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from yongxu.core.errors import DomainError
from yongxu.support import services
from yongxu.support.forms import StaffReplyForm
from yongxu.support.models import Attachment, Ticket, TicketStatus
from yongxu.support.views import serve_attachment

EDITABLE = ("status", "priority", "assignee")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "email", "status", "priority", "assignee", "order", "updated_at"]
    list_filter = ["status", "priority", ("assignee", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["assignee", "order"]
    search_fields = ["number", "subject", "email", "order__number"]
    date_hierarchy = "created_at"
    fields = ["number", "subject", "email", "order_link", "language", "created_at", "updated_at", *EDITABLE]
    readonly_fields = ["number", "subject", "email", "order_link", "language", "created_at", "updated_at"]
    change_form_template = "admin/support/ticket/change_form.html"
    actions = ["close_selected"]

    def has_add_permission(self, request):
        return False  # tickets come from buyers

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="order")
    def order_link(self, ticket):
        if ticket.order is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[ticket.order_id]),
                           ticket.order.number)

    def save_model(self, request, obj, form, change):
        changed = {name: form.cleaned_data[name] for name in EDITABLE if name in form.changed_data}
        services.change_ticket(obj, status=changed.get("status"), priority=changed.get("priority"),
                               assignee=changed.get("assignee", services.UNCHANGED), actor=request.user)

    @admin.action(description="Close the selected tickets", permissions=["change"])
    def close_selected(self, request, queryset):
        for ticket in queryset.exclude(status=TicketStatus.CLOSED):
            services.close_ticket(ticket, actor=request.user)
        messages.success(request, "Closed.")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = self.get_object(request, object_id)
        if ticket is not None:
            extra_context = {**(extra_context or {}), **self._desk(ticket, StaffReplyForm())}
        return super().change_view(request, object_id, form_url, extra_context)

    def _desk(self, ticket: Ticket, reply_form: StaffReplyForm) -> dict:
        return {"ticket": ticket, "linked_order": ticket.order, "reply_form": reply_form,
                "conversation": ticket.messages.select_related("author").prefetch_related("attachments")}

    def get_urls(self):
        return [
            path("<int:ticket_id>/reply/", self.admin_site.admin_view(self.reply_view), name="support_ticket_reply"),
            path("<int:ticket_id>/files/<int:attachment_id>/", self.admin_site.admin_view(self.attachment_view),
                 name="support_ticket_attachment"),
            *super().get_urls(),
        ]

    def reply_view(self, request, ticket_id: int):
        return require_POST(self._reply)(request, ticket_id)

    def _reply(self, request, ticket_id: int):
        ticket = get_object_or_404(Ticket.objects.select_related("order"), pk=ticket_id)
        if not self.has_change_permission(request, ticket):
            raise PermissionDenied
        form = StaffReplyForm(request.POST, request.FILES)
        if form.is_valid():
            internal = form.cleaned_data["internal"]
            try:
                services.reply_as_staff(ticket, body=form.cleaned_data["message"], internal=internal,
                                        attachment=form.cleaned_data["attachment"], actor=request.user)
            except DomainError as error:
                form.add_error("attachment" if error.code == "attachment_refused" else "message", str(error.message))
            else:
                messages.success(request, "Internal note added." if internal else f"Reply e-mailed to {ticket.email}.")
                return redirect("admin:support_ticket_change", ticket.pk)
        # The typed text comes back with the errors, never lost.
        return render(request, "admin/support/ticket/reply.html",
                      {**self.admin_site.each_context(request), **self._desk(ticket, form), "opts": self.model._meta,
                       "title": f"Reply to {ticket.number}"}, status=400)

    def attachment_view(self, request, ticket_id: int, attachment_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = get_object_or_404(Attachment, pk=attachment_id, message__ticket_id=ticket_id)
        return serve_attachment(found)
