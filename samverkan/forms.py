"""Form helpers every app shares."""

from django import forms
from django.core.exceptions import ValidationError


def show_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form, next to the field it concerns; what
    concerns no field of the form is shown above it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
