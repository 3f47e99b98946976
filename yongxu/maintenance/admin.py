from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from yongxu.core import clock
from yongxu.core.admin import ReadOnlyAdmin, ReadOnlyInline
from yongxu.core.errors import DomainError
from yongxu.maintenance import services, sources, windows
from yongxu.maintenance.models import (
    BackSubscriber,
    ChecklistTemplate,
    Closure,
    MaintenanceWindow,
    OperatorToken,
    PageContent,
    WindowUpdate,
)
from yongxu.maintenance.services import parse_eta


class EndForm(forms.Form):
    note = forms.CharField(max_length=300, required=False)


@admin.register(Closure)
class ClosureAdmin(ReadOnlyAdmin):
    """Read-only history: changes go through the control room, the CLI or the API (audit-logged).
    Any closure still on or to come, of any source, can be ended here (an action, and a button on its
    page); a planned window's closure is ended through its window."""

    list_display = ["id", "source_label", "source", "level", "capabilities", "starts_at", "ends_at", "ended_at",
                    "public_reason"]
    list_filter = ["level", "source"]
    actions = ["end_selected"]
    change_form_template = "admin/maintenance/closure_change_form.html"

    @admin.display(description=_("Source"))
    def source_label(self, closure: Closure) -> str:
        return str(sources.entry(closure.source).label)

    def has_operate_permission(self, request) -> bool:
        return request.user.has_perm("maintenance.operate")

    @admin.action(description=_("End the selected closures"), permissions=["operate"])
    def end_selected(self, request, queryset):
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            self._end(request, pk, note="")

    def get_urls(self):
        return [path("<int:closure_id>/end/", self.admin_site.admin_view(self.end_view), name="maintenance_closure_end"),
                *super().get_urls()]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context.update(can_end=self.has_operate_permission(request) and _still_on(obj),
                           manage_url=sources.entry(obj.source).admin_url_for(obj))
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def end_view(self, request, closure_id: int):
        if not self.has_operate_permission(request) or request.method != "POST":
            raise PermissionDenied
        form = EndForm(request.POST)
        form.is_valid()
        self._end(request, closure_id, note=form.cleaned_data.get("note", ""))
        return redirect("admin:maintenance_closure_change", closure_id)

    def _end(self, request, closure_id: int, *, note: str) -> None:
        try:
            services.end_closure(closure_id, actor=request.user, note=note)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Closure #%(id)s ended.") % {"id": closure_id})


def _still_on(closure: Closure) -> bool:
    return closure.ended_at is None and (closure.ends_at is None or closure.ends_at > clock.now())


@admin.register(PageContent)
class PageContentAdmin(admin.ModelAdmin):
    """Saved: the maintenance pages are rendered again on every node at once."""

    list_display = ["__str__", "promotion", "coupon_teaser"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            services.republish_page(actor=request.user, what="page content")


@admin.register(OperatorToken)
class OperatorTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "token_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # created with `yongxu maintenance token create NAME`, which shows the token once


@admin.register(BackSubscriber)
class BackSubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "created_at", "notified_at"]


class WindowUpdateInline(ReadOnlyInline):
    model = WindowUpdate
    fields = ["at", "kind", "note", "eta", "actor"]


class WindowActionForm(forms.Form):
    note = forms.CharField(max_length=500, required=False)
    eta = forms.CharField(required=False, help_text="New estimate: ISO 8601 or +30m (update only).")
    step = forms.CharField(max_length=100, required=False, help_text="Step done (update only).")


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin):
    """Windows are scheduled here or with `yongxu maintenance schedule`; their phases are driven by
    the buttons on the change page (start, update, verify, complete, cancel), which call the services."""

    list_display = ["id", "title", "kind", "level", "planned_start", "planned_end", "eta", "phase", "late_count"]
    list_filter = ["phase", "kind", "level"]
    inlines = [WindowUpdateInline]
    readonly_fields = ["phase", "eta", "sequence", "late_count", "closure", "created_by", "started_at", "verified_at",
                       "completed_at", "cancelled_at"]
    change_form_template = "admin/maintenance/window_change_form.html"

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)  # title, description, checklist edits
        window = windows.schedule_window(
            title=obj.title, start=obj.planned_start, end=obj.planned_end, level=obj.level, modules=obj.capabilities,
            kind=obj.kind, public_reason=obj.public_reason, description=obj.description,
            steps=[step.get("name", "") for step in obj.steps or []], actor=request.user)
        obj.pk = window.pk

    def get_urls(self):
        return [path("<int:window_id>/act/<str:action>/", self.admin_site.admin_view(self.act_view),
                     name="maintenance_window_act"), *super().get_urls()]

    def act_view(self, request, window_id: int, action: str):
        if not request.user.has_perm("maintenance.operate") or request.method != "POST":
            raise PermissionDenied
        window = get_object_or_404(MaintenanceWindow, pk=window_id)
        form = WindowActionForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        try:
            if action == "update":
                windows.update_window(window, actor=request.user, note=data.get("note", ""),
                                      eta=parse_eta(data.get("eta") or None), step=data.get("step", ""))
            elif action in ("start", "verify", "complete", "cancel"):
                getattr(windows, f"{action}_window")(window, actor=request.user, note=data.get("note", ""))
            else:
                raise PermissionDenied
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Window #{window.pk}: {action} done.")
        return redirect("admin:maintenance_maintenancewindow_change", window.pk)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["phase", "items"]
