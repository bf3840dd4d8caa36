from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind, Mode


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args, initial_modes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Mode.choices,
                initial=initial_modes.get(kind.value, Mode.IMMEDIATE),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Välj ett av alternativen.")},
            )
