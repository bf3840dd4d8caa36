from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..services.errors import DomainError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


def apply_error(form: forms.Form, exc: Exception) -> None:
    """Show a service's refusal on the form, next to the field it concerns."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return
    if isinstance(exc, DomainError):
        form.add_error(None, str(exc.message))
        for name, errors in exc.fields.items():
            if name in form.fields:
                form.add_error(name, [str(e) for e in errors])
            else:
                form.add_error(None, [str(e) for e in errors])
        return
    raise exc


REQUIRED = _("Fältet måste fyllas i.")
