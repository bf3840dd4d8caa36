import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=80,
        help_text=_("Till exempel namnet på systemet som ska använda nyckeln."),
    )
    expires_on = forms.DateField(
        label=_("Gäller till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt för en nyckel utan slutdatum."),
    )

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Datumet får inte ligga i det förflutna."))
        return value

    def expires_at(self):
        value = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        # Valid through the whole chosen day, local time.
        end = dt.datetime.combine(value + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(end)
