from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.forms import show_validation_error

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
        show_validation_error(form, exc)
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
