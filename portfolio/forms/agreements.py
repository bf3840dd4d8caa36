from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.choices import CollaborationForm
from municipalities.models import Organisation

from .base import DateInput


class MunicipalityChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, municipality):
        return municipality.name


class AgreementForm(forms.Form):
    """An agreement as the samordnare registers it; the rules are the service's."""

    title = forms.CharField(label=_("Benämning"), max_length=200)
    form = forms.ChoiceField(label=_("Samverkansform"), choices=CollaborationForm.choices)
    parties = MunicipalityChoices(
        label=_("Parter"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    organisations = MunicipalityChoices(
        label=_("Parter som inte är kommuner"),
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Till exempel en region, länsstyrelsen eller ett universitet."),
    )
    starts_on = forms.DateField(label=_("Gäller från"), widget=DateInput())
    ends_on = forms.DateField(label=_("Gäller till"), widget=DateInput())
    yearly_fee_per_party = forms.IntegerField(
        label=_("Årlig avgift per part (kr)"),
        required=False,
        error_messages={"invalid": _("Ange avgiften i hela kronor.")},
    )
    notice_period_months = forms.IntegerField(
        label=_("Uppsägningstid (månader)"),
        initial=6,
        error_messages={"invalid": _("Ange uppsägningstiden i hela månader.")},
    )
    registration_number = forms.CharField(label=_("Diarienummer"), max_length=40, required=False)
    reason = forms.CharField(
        label=_("Beslut som avtalet bygger på"),
        max_length=300,
        required=False,
        help_text=_("Organ, datum och paragraf. Det sparas i historiken med ditt namn."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = municipalities
