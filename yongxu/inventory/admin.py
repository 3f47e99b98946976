"""Keys in the admin: imported by paste or file, listed masked, revealed one at a time with a
permission (audit-logged), exported unsold (permission, audit-logged)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from yongxu.catalog.models import Product
from yongxu.inventory import services
from yongxu.inventory.models import CardKey


class ImportForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.all())
    keys = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
                           help_text="One key per line; a card number and its password may share a line.")
    file = forms.FileField(required=False, help_text="Or a .txt (one key per line) or .csv (card, password) file.")


@admin.register(CardKey)
class CardKeyAdmin(admin.ModelAdmin):
    list_display = ["id", "product", "masked", "status", "order", "batch", "created_at", "sold_at", "reveal"]
    list_filter = ["status", "product"]
    search_fields = ["order__number", "batch"]
    readonly_fields = ["product", "masked", "status", "order", "batch", "created_at", "sold_at"]
    exclude = ["secret_encrypted", "fingerprint"]
    change_list_template = "admin/inventory/cardkey_changelist.html"

    def has_add_permission(self, request):
        return False

    @admin.display(description="")
    def reveal(self, key):
        url = reverse("admin:inventory_cardkey_reveal", args=[key.pk])
        return format_html('<a href="{}">reveal…</a>', url)

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="inventory_cardkey_import"),
            path("export/<int:product_id>/", self.admin_site.admin_view(self.export_view),
                 name="inventory_cardkey_export"),
            path("<int:key_id>/reveal/", self.admin_site.admin_view(self.reveal_view),
                 name="inventory_cardkey_reveal"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not request.user.has_perm("inventory.add_cardkey"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None, initial={"product": request.GET.get("product")})
        if request.method == "POST" and form.is_valid():
            try:
                lines = (form.cleaned_data["keys"] or "").splitlines()
                upload = form.cleaned_data["file"]
                if upload:
                    lines += services.lines_from_upload(upload.read(services.MAX_UPLOAD_READ), upload.name)
                result = services.import_keys(form.cleaned_data["product"], lines, actor=request.user)
            except services.KeyImportError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Added {result.added}, duplicates {result.duplicates}, "
                                          f"invalid {result.invalid}"
                                 + (f" (lines {', '.join(map(str, result.invalid_lines[:20]))})" if result.invalid else "")
                                 + (f"; delivered waiting orders {', '.join(result.fulfilled_orders)}"
                                    if result.fulfilled_orders else "") + ".")
                return redirect("admin:inventory_cardkey_changelist")
        return render(request, "admin/inventory/import.html",
                      {**self.admin_site.each_context(request), "form": form, "title": "Import card keys",
                       "opts": self.model._meta})

    def export_view(self, request, product_id: int):
        if not request.user.has_perm("inventory.export_cardkey"):
            raise PermissionDenied
        product = get_object_or_404(Product, pk=product_id)
        response = HttpResponse(services.export_unsold(product, actor=request.user), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{product.slug}-unsold-keys.txt"'
        response["Cache-Control"] = "no-store"
        return response

    def reveal_view(self, request, key_id: int):
        if not request.user.has_perm("inventory.reveal_cardkey"):
            raise PermissionDenied
        key = get_object_or_404(CardKey, pk=key_id)
        if request.method != "POST":
            return render(request, "admin/inventory/reveal.html",
                          {**self.admin_site.each_context(request), "key": key, "title": "Reveal a card key",
                           "opts": self.model._meta})
        secret = services.reveal_key(key, actor=request.user)
        response = render(request, "admin/inventory/reveal.html",
                          {**self.admin_site.each_context(request), "key": key, "secret": secret,
                           "title": "Reveal a card key", "opts": self.model._meta})
        response["Cache-Control"] = "no-store"
        return response
