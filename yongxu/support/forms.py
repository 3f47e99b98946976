"""The buyer's forms and the staff reply form: shape and size of the input. The rules (order match,
file type) are the services' to check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yongxu.support.files import ALLOWED_EXTENSIONS
from yongxu.support.services import BODY_MAX, ORDER_NUMBER_MAX, SUBJECT_MAX

ACCEPT = ",".join(ALLOWED_EXTENSIONS)


class TicketForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    message = forms.CharField(label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 7}))
    email = forms.EmailField(label=_("Your e-mail (we answer here)"), max_length=254)
    order_number = forms.CharField(label=_("Order number (optional)"), max_length=ORDER_NUMBER_MAX, required=False)
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class ReplyForm(forms.Form):
    message = forms.CharField(label=_("Your reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class StaffReplyForm(forms.Form):
    message = forms.CharField(label="Reply", max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    internal = forms.BooleanField(label="Internal note (staff only: not shown to the buyer, not e-mailed)",
                                  required=False)
    attachment = forms.FileField(label="Attachment", required=False)
