from django import forms
from django.utils.translation import gettext_lazy as _


class ConstellationChoice(forms.ModelChoiceField):
    def label_from_instance(self, constellation):
        return constellation.name


class PortfolioForm(forms.Form):
    """A new portfolio; the rules (prefix, constellation, who) are the service's."""

    constellation = ConstellationChoice(label=_("Konstellation"), queryset=None)
    name = forms.CharField(label=_("Namn"), max_length=160)
    reference_prefix = forms.CharField(
        label=_("Prefix för initiativnummer"),
        max_length=10,
        help_text=_("Till exempel DAL; initiativen numreras DAL-1, DAL-2 …"),
    )
    sender = forms.CharField(
        label=_("Avsändare av beslutsunderlag"),
        max_length=160,
        required=False,
        help_text=_("Till exempel portföljkontoret eller kommunledningskontoret."),
    )
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea, required=False)

    def __init__(self, *args, constellations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["constellation"].queryset = constellations
