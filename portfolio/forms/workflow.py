from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import DecisionKind, DecisionOutcome, Health, ParticipationStatus, Stage
from ..models.initiatives import LOCAL_DECISION_FIELDS
from .base import DateInput, VersionField


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Beslut"))
    outcome = forms.ChoiceField(label=_("Utfall"), choices=DecisionOutcome.choices)
    target_stage = forms.ChoiceField(
        label=_("Blir vid godkänd G1"),
        required=False,
        choices=[
            ("", _("Inte aktuellt")),
            (Stage.PROJECT, _("Projekt")),
            (Stage.ASSIGNMENT, _("Uppdrag")),
        ],
        help_text=_("Bara för G1: om initiativet blir ett projekt eller ett uppdrag."),
    )
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    meeting_reference = forms.CharField(
        label=_("Protokoll §"),
        max_length=60,
        required=False,
        help_text=_("Till exempel Portföljstyrgruppen 2026-02-12 § 5."),
    )
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea, required=False)
    corrects = forms.TypedChoiceField(
        label=_("Rättar beslut"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Välj bara om beslutet rättar ett tidigare registrerat beslut."),
    )
    version = VersionField()

    def __init__(self, *args, kinds, decisions, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, DecisionKind(k).label) for k in kinds]
        self.fields["corrects"].choices = [("", _("Inget – ett nytt beslut"))] + [
            (d.pk, f"{d.decided_on} {d.get_kind_display()}: {d.get_outcome_display()}")
            for d in decisions
        ]


class InviteForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommun"), queryset=None)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class LocalDecisionFields(forms.Form):
    """The municipality's own decision behind the answer; optional, checked by the
    service (`participation.local_decision_values`)."""

    local_decision_body = forms.CharField(
        label=_("Kommunens beslutande organ"),
        required=False,
        max_length=120,
        help_text=_(
            "Till exempel kommunstyrelsen eller en nämnd. Lämna tomt om inget beslut finns."
        ),
    )
    local_decision_on = forms.DateField(
        label=_("Kommunens beslutsdatum"), required=False, widget=DateInput()
    )
    local_decision_reference = forms.CharField(
        label=_("Paragraf i kommunens protokoll"), required=False, max_length=60
    )
    local_diary_number = forms.CharField(
        label=_("Kommunens diarienummer"), required=False, max_length=60
    )

    def local_decision(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in LOCAL_DECISION_FIELDS}


class AnswerForm(LocalDecisionFields):
    field_order = ["answer", "joined_on", *LOCAL_DECISION_FIELDS, "version"]
    answer = forms.ChoiceField(
        label=_("Svar"),
        widget=forms.RadioSelect,
        choices=[
            (ParticipationStatus.PARTICIPATING, _("Kommunen deltar")),
            (ParticipationStatus.INTERESTED, _("Kommunen är intresserad")),
            (ParticipationStatus.DECLINED, _("Kommunen avstår")),
        ],
    )
    joined_on = forms.DateField(
        label=_("Deltar från"),
        required=False,
        widget=DateInput(),
        help_text=_("Lämna tomt för i dag."),
    )
    version = VersionField()


class LeaveForm(LocalDecisionFields):
    field_order = ["left_on", "reason", *LOCAL_DECISION_FIELDS, "version"]
    left_on = forms.DateField(label=_("Lämnar den"), widget=DateInput())
    reason = forms.CharField(
        label=_("Skäl"),
        widget=forms.Textarea,
        help_text=_("Ange skälet mot bakgrund av samverkansprinciperna."),
    )
    version = VersionField()


class ImplementedForm(forms.Form):
    implemented_on = forms.DateField(label=_("Implementerade den"), widget=DateInput())
    version = VersionField()


class VersionOnlyForm(forms.Form):
    version = VersionField()


class StatusForm(forms.Form):
    reported_on = forms.DateField(label=_("Datum"), widget=DateInput())
    health_time = forms.ChoiceField(label=_("Tid"), choices=Health.choices)
    health_cost = forms.ChoiceField(label=_("Kostnad"), choices=Health.choices)
    health_quality = forms.ChoiceField(label=_("Kvalitet"), choices=Health.choices)
    progress = forms.IntegerField(label=_("Färdigställt (%)"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("Kommentar"), widget=forms.Textarea, required=False)
    municipality = forms.ModelChoiceField(
        label=_("För kommun"),
        queryset=None,
        required=False,
        help_text=_("Lämna tomt för din egen kommun eller hela initiativet."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("reported_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class ConfirmForm(forms.Form):
    note = forms.CharField(label=_("Kommentar"), max_length=300, required=False)


class PauseForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea, required=False)
    version = VersionField()


class EffectGoalForm(forms.Form):
    name = forms.CharField(label=_("Effektmål"), max_length=200)
    indicator = forms.CharField(label=_("Indikator"), max_length=200)
    unit = forms.CharField(label=_("Enhet"), max_length=40)
    baseline = forms.DecimalField(
        label=_("Nollvärde"), max_digits=14, decimal_places=2, required=False
    )
    baseline_on = forms.DateField(label=_("Nollvärdets datum"), widget=DateInput(), required=False)
    target = forms.DecimalField(
        label=_("Målvärde"), max_digits=14, decimal_places=2, required=False
    )
    owner = forms.ModelChoiceField(label=_("Nyttoägare"), queryset=None, required=False)
    portfolio_goal = forms.ModelChoiceField(
        label=_("Portföljens effektmål"), queryset=None, required=False
    )

    def __init__(self, *args, owners, portfolio_goals, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["portfolio_goal"].queryset = portfolio_goals
        if editing:
            # The version the page showed: a save from an outdated page is refused.
            self.fields["version"] = VersionField()


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(label=_("Mätdatum"), widget=DateInput())
    value = forms.DecimalField(label=_("Värde"), max_digits=14, decimal_places=2)
    comment = forms.CharField(label=_("Kommentar"), max_length=300, required=False)


class PriorityForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s (vikt %(weight)s)")
                % {"name": criterion.name, "weight": criterion.weight},
                choices=[("", _("Ej bedömt"))] + [(n, str(n)) for n in range(1, 6)],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def scores(self) -> dict:
        return {
            int(name.removeprefix("criterion_")): value for name, value in self.cleaned_data.items()
        }


class ThreeNForm(forms.Form):
    is_new = forms.BooleanField(label=_("Ny – ny för konstellationen"), required=False)
    is_useful = forms.BooleanField(label=_("Nyttig – ger nytta"), required=False)
    is_used = forms.BooleanField(label=_("Nyttiggjord – används"), required=False)
    version = VersionField()
