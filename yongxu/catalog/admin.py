from django import forms
from django.contrib import admin

from yongxu.catalog.models import Category, Product
from yongxu.inventory import crypto
from yongxu.inventory.services import stock_counts


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order", "visible"]
    list_editable = ["sort_order", "visible"]
    prepopulated_fields = {"slug": ["name"]}


class ProductForm(forms.ModelForm):
    reusable_key = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                   help_text="循环卡密: one key given to every buyer. Leave blank to keep the current one; "
                                             "tick 'clear' to remove it.")
    clear_reusable_key = forms.BooleanField(required=False)

    class Meta:
        model = Product
        exclude = ["reusable_key_encrypted", "low_stock_alerted"]

    def save(self, commit=True):
        product = super().save(commit=False)
        if self.cleaned_data.get("clear_reusable_key"):
            product.reusable_key_encrypted = ""
        elif self.cleaned_data.get("reusable_key"):
            product.reusable_key_encrypted = crypto.encrypt(self.cleaned_data["reusable_key"].strip())
        if commit:
            product.save()
        return product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductForm
    list_display = ["name", "category", "price", "currency", "delivery_mode", "stock", "visible", "sort_order"]
    list_filter = ["category", "delivery_mode", "visible"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("category")
        self._counts = stock_counts(queryset)
        return queryset

    @admin.display(description="Available keys")
    def stock(self, product):
        if not product.uses_key_stock:
            return "—"
        return getattr(self, "_counts", {}).get(product.pk, 0)
