"""Form fields shared by our own forms."""

from django import forms
from django.core.exceptions import ValidationError

from yongxu.core.numbers import parse_decimal


class DecimalField(forms.DecimalField):
    """``forms.DecimalField`` that takes only ASCII digits: Django's own also takes "１" and "٣"."""

    def to_python(self, value):
        if value not in self.empty_values and parse_decimal(str(value)) is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
