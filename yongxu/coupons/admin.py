from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path

from yongxu.core.admin import ReadOnlyInline
from yongxu.core.errors import DomainError
from yongxu.core.forms import DecimalField
from yongxu.coupons import services
from yongxu.coupons.models import Coupon, CouponKind, Redemption


class IssueForm(forms.Form):
    emails = forms.CharField(widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
                             help_text="One e-mail address per line (or separated by commas).")
    kind = forms.ChoiceField(choices=CouponKind.choices)
    value = DecimalField(max_digits=12, decimal_places=2, min_value=0.01)
    currency = forms.CharField(max_length=3, required=False, help_text="For fixed amounts, e.g. CNY.")
    valid_until = forms.DateTimeField(help_text="YYYY-MM-DD HH:MM (UTC)")
    batch = forms.CharField(max_length=60, required=False)

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace(",", "\n").splitlines()
        emails = [line.strip() for line in raw if line.strip()]
        for email in emails:
            forms.EmailField().clean(email)
        if len(emails) > 10000:
            raise forms.ValidationError("At most 10,000 addresses per batch.")
        return emails


class RedemptionInline(ReadOnlyInline):
    model = Redemption
    fields = ["order", "email", "discount", "created_at", "released_at"]


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "value", "currency", "min_amount", "used_count", "total_uses", "valid_until",
                    "for_email", "active", "batch"]
    list_filter = ["kind", "active", "batch"]
    search_fields = ["code", "for_email", "batch"]
    filter_horizontal = ["products", "categories"]
    readonly_fields = ["used_count", "created_at"]
    inlines = [RedemptionInline]
    change_list_template = "admin/coupons/coupon_changelist.html"

    def save_model(self, request, obj, form, change):
        obj.code = services.normalise_code(obj.code)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [path("issue/", self.admin_site.admin_view(self.issue_view), name="coupons_coupon_issue"),
                *super().get_urls()]

    def issue_view(self, request):
        if not request.user.has_perm("coupons.add_coupon"):
            raise PermissionDenied
        form = IssueForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                issued = services.issue_coupons(data["emails"], kind=data["kind"], value=data["value"],
                                                valid_until=data["valid_until"], currency=data["currency"].upper(),
                                                batch=data["batch"], actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Issued {len(issued)} single-use coupons.")
                return redirect("admin:coupons_coupon_changelist")
        return render(request, "admin/coupons/issue.html", {**self.admin_site.each_context(request), "form": form,
                                                             "title": "Issue single-use coupons", "opts": self.model._meta})
