"""Forms of the portfolio office's settings pages. They parse input; the rules (weights
summing to 100, population figures, settled periods, who may do it) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import AllocationMethod, CriterionKind, Gate
from .base import DateInput, VersionField

WHOLE = {"invalid": _("Ange ett heltal.")}


def whole(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, error_messages=WHOLE, **kwargs)


class GateCriterionAddForm(forms.Form):
    gate = forms.ChoiceField(label=_("Grind"), choices=Gate.choices)
    label = forms.CharField(label=_("Kriterium"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Hur kriteriet uppfylls"),
        choices=CriterionKind.choices,
        widget=forms.RadioSelect,
        initial=CriterionKind.MANUAL,
    )
    system_check = forms.ChoiceField(
        label=_("Systemkontroll"),
        required=False,
        help_text=_("Bara för kriterier som systemet kontrollerar utifrån initiativets uppgifter."),
    )

    def __init__(self, *args, check_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system_check"].choices = [("", _("Ingen – en person bekräftar"))] + list(
            check_choices
        )


class GateCriterionLabelForm(forms.Form):
    label = forms.CharField(
        label=_("Kriterium"),
        max_length=200,
        help_text=_("Beslut som redan är fattade behåller kriteriet som det löd vid beslutet."),
    )
    # The version the page showed: a save from an outdated page is refused.
    version = VersionField()


class AllocationKeyForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Gäller från"),
        widget=DateInput(),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
    method = forms.ChoiceField(
        label=_("Metod"), choices=AllocationMethod.choices, widget=forms.RadioSelect
    )
    population_weight = whole(_("Andel efter folkmängd (%)"))
    equal_weight = whole(_("Andel lika per kommun (%)"))
    population_year = whole(
        _("Folkmängd per år"), help_text=_("Folkmängden 31 december det året (SCB).")
    )
    hourly_rate = whole(_("Timvärde för egen personal (kr)"))
    yearly_fee_per_party = whole(
        _("Årlig avgift per part (kr)"),
        required=False,
        help_text=_("Bara för metoden fast avgift per part."),
    )
    decision_reference = forms.CharField(
        label=_("Beslut (protokoll §)"),
        max_length=80,
        required=False,
        help_text=_("Till exempel Portföljstyrgruppen 2026-02-12 § 5."),
    )


class PriorityCriterionForm(forms.Form):
    name = forms.CharField(label=_("Kriterium"), max_length=120)
    weight = whole(_("Vikt (1–100)"))


class PriorityCriterionEditForm(PriorityCriterionForm):
    version = VersionField()


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=160)
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea, required=False)
    manager = forms.ModelChoiceField(
        label=_("Programledare"),
        queryset=None,
        required=False,
        empty_label=_("Ingen programledare ännu"),
        help_text=_("Användare i konstellationens kommuner med rollen programledare."),
    )

    def __init__(self, *args, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers
        self.fields["manager"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}, {u.municipality}"
        )


class ProgramEditForm(ProgramForm):
    version = VersionField()


class ProgramBudgetForm(forms.Form):
    year = whole(_("År"))
    amount = whole(_("Budget (kr)"), help_text=_("Hela kronor."))
    # The version of the year's budget the page showed; empty for a year without one.
    version = VersionField(required=False)

    def __init__(self, *args, existing_year=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Changing an existing year's budget: the year is fixed, so the version matches it.
        self.fields["year"].disabled = existing_year


class MeetingForm(forms.Form):
    next_board_meeting = forms.DateField(
        label=_("Nästa möte i portföljstyrgruppen"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
    sender = forms.CharField(
        label=_("Avsändare av beslutsunderlag"),
        max_length=160,
        required=False,
        help_text=_("Till exempel portföljkontoret eller kommunledningskontoret."),
    )
    version = VersionField()
