"""Constellations, their members and organisations as the samordnare sets them up in
the pages; the rules are the services' (municipalities.constellations, .organisations)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.choices import CollaborationForm, GovernanceMode, OrganisationKind
from municipalities.constellations import JOIN, LEAVE
from municipalities.models import CollaborationArea, Municipality, Organisation

from .base import DateInput


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class NamedChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


REASON_HELP = _("Organ, datum och paragraf. Det sparas i historiken med ditt namn.")


class ConstellationForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=120)
    short_name = forms.CharField(label=_("Kortnamn"), max_length=30)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    collaboration_form = forms.ChoiceField(
        label=_("Samverkansform"), choices=CollaborationForm.choices
    )
    host_municipality = NamedChoice(
        label=_("Värdkommun"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text=_("Vid gemensam nämnd."),
    )
    governance_mode = forms.ChoiceField(label=_("Styrningsform"), choices=GovernanceMode.choices)
    lead_municipality = NamedChoice(
        label=_("Ledande kommun"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text=_("Vid ledande organisation."),
    )
    areas = NamedChoices(
        label=_("Samverkansområden"),
        queryset=CollaborationArea.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joined_on = forms.DateField(
        label=_("Din kommun är medlem från"),
        widget=DateInput(),
        help_text=_("Din kommun blir konstellationens första medlem från det datumet."),
    )
    reason = forms.CharField(
        label=_("Beslut som ändringen bygger på"),
        max_length=300,
        required=False,
        help_text=REASON_HELP,
    )

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["joined_on"]


def member_choices(constellation):
    """The members that may join or leave, grouped: municipalities, then organisations.
    Values carry the kind ("m12", "o3") so one field serves both."""
    municipalities = [
        (f"m{pk}", name) for pk, name in Municipality.objects.values_list("pk", "name")
    ]
    organisations = [
        (f"o{pk}", name) for pk, name in Organisation.objects.values_list("pk", "name")
    ]
    return [
        ("", _("Välj kommun eller organisation")),
        (_("Kommuner"), municipalities),
        *([(_("Organisationer"), organisations)] if organisations else []),
    ]


class MembershipForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Ändring"),
        choices=[(JOIN, _("Går med")), (LEAVE, _("Lämnar"))],
        widget=forms.RadioSelect,
    )
    member = forms.ChoiceField(label=_("Kommun eller organisation"))
    on = forms.DateField(
        label=_("Datum"),
        widget=DateInput(),
        help_text=_("Dagen då ändringen gäller. Inte i framtiden, inte före inträdet."),
    )
    reason = forms.CharField(
        label=_("Beslut som ändringen bygger på"),
        max_length=300,
        required=False,
        help_text=REASON_HELP,
    )

    def __init__(self, *args, constellation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = member_choices(constellation)

    def clean_member(self):
        value = self.cleaned_data["member"]
        model = Municipality if value.startswith("m") else Organisation
        member = model.objects.filter(pk=value[1:]).first() if value[1:].isdigit() else None
        if member is None:
            raise forms.ValidationError(_("Välj en kommun eller en organisation."))
        return member


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ"), choices=OrganisationKind.choices)
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=20,
        help_text=_("Tio siffror med bindestreck: NNNNNN-NNNN."),
    )
    reason = forms.CharField(
        label=_("Motivering"), max_length=300, required=False, help_text=REASON_HELP
    )
