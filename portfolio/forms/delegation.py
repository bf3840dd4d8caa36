from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .base import DateInput


class DelegationForm(forms.Form):
    """The kommundirektör picks a person of the municipality (and an optional last day)."""

    delegate = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Välj en person."),
            "invalid_choice": _("Välj en person i kommunen."),
        },
    )
    valid_until = forms.DateField(
        label=_("Gäller till och med (valfritt)"), required=False, widget=DateInput()
    )

    def __init__(self, *args, municipality, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = (
            User.objects.filter(municipality=municipality, is_active=True)
            .exclude(pk=actor.pk)
            .order_by("first_name", "last_name", "username")
        )
