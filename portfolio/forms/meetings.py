"""The forms of a body's meeting. Each only parses; the meeting services decide."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import Stage
from ..models import ItemOutcome
from .base import DateInput, VersionField


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingTimeForm(forms.Form):
    """When and where: planning a meeting, and changing a planned one."""

    day = forms.DateField(label=_("Datum"), widget=DateInput())
    time = forms.TimeField(label=_("Klockan"), widget=TimeInput(), initial=dt.time(9, 0))
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    link = forms.URLField(
        label=_("Länk till mötet"),
        required=False,
        assume_scheme="https",
        help_text=_("För ett digitalt möte; plats eller länk måste anges."),
    )
    agenda_notice_days = forms.IntegerField(
        label=_("Kallelse, dagar före mötet"),
        initial=7,
        min_value=0,
        max_value=60,
        required=False,
    )

    def starts_at(self) -> dt.datetime:
        day, time = self.cleaned_data["day"], self.cleaned_data["time"]
        return timezone.make_aware(dt.datetime.combine(day, time))


class MeetingForm(MeetingTimeForm):
    body = forms.TypedChoiceField(label=_("Organ"), coerce=int)
    field_order = ["body"]

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b.pk, b.name) for b in bodies]


class MeetingChangeForm(MeetingTimeForm):
    version = VersionField(required=False)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Ärende"), max_length=200)
    memo_reference = forms.CharField(
        label=_("Tjänsteskrivelse"),
        max_length=120,
        required=False,
        help_text=_("Diarienummer eller namn på beslutsunderlaget."),
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Närvarande"), required=False, widget=forms.CheckboxSelectMultiple
    )
    adjuster = forms.TypedChoiceField(
        label=_("Justerare"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, people, substitutes=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.pk, _name(p)) for p in people]
        self.fields["present"].choices = choices
        self.fields["adjuster"].choices = [("", _("Välj justerare")), *choices]
        # One choice per substitute of the body: the absent member they serve for.
        self.substitutes = list(substitutes)
        for substitute in self.substitutes:
            self.fields[f"serves_for_{substitute.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s (ersättare) tjänstgör för") % {"name": _name(substitute)},
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", _("Tjänstgör inte")), *[(m.pk, _name(m)) for m in members]],
            )

    def serving(self) -> list[tuple]:
        """(substitute, member id) for each substitute who serves."""
        return [
            (s, self.cleaned_data[f"serves_for_{s.pk}"])
            for s in self.substitutes
            if self.cleaned_data.get(f"serves_for_{s.pk}") is not None
        ]


def _name(person) -> str:
    return person.get_full_name() or person.username


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Beslut"), widget=forms.RadioSelect)
    target_stage = forms.ChoiceField(
        label=_("Initiativet blir"),
        required=False,
        choices=[
            ("", "–"),
            (Stage.PROJECT, Stage.PROJECT.label),
            (Stage.ASSIGNMENT, Stage.ASSIGNMENT.label),
        ],
    )
    motivation = forms.CharField(
        label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, outcomes, asks_target=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o, ItemOutcome(o).label) for o in outcomes]
        if not asks_target:
            del self.fields["target_stage"]


class SeriesForm(MeetingForm):
    """A series: the first meeting as in MeetingForm, then every N weeks until a date,
    or on the dates listed."""

    every_weeks = forms.IntegerField(
        label=_("Veckor mellan mötena"), required=False, min_value=1, max_value=52
    )
    until = forms.DateField(label=_("Till och med"), required=False, widget=DateInput())
    dates = forms.CharField(
        label=_("Eller dessa datum"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ett datum per rad, till exempel 2027-03-15."),
    )

    def clean_dates(self) -> list[dt.date]:
        days = []
        for line in self.cleaned_data["dates"].replace(",", "\n").splitlines():
            if not line.strip():
                continue
            try:
                days.append(dt.date.fromisoformat(line.strip()))
            except ValueError:
                raise forms.ValidationError(
                    _("%(value)s är inte ett datum (ÅÅÅÅ-MM-DD).") % {"value": line.strip()}
                ) from None
        return days
