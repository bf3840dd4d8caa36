"""The form for a decision-making body. It parses input; the rules are the service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import DecisionBody, Matter
from .base import VersionField


class NamedPeople:
    """People by name and municipality, never by username alone."""

    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.username}, {user.municipality}"


class PersonChoice(NamedPeople, forms.ModelChoiceField):
    pass


class PeopleChoice(NamedPeople, forms.ModelMultipleChoiceField):
    pass


class BodyForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=120,
        help_text=_("Till exempel Portföljstyrgruppen, Strategiska beställargruppen, Direktionen."),
    )
    kind = forms.ChoiceField(label=_("Slag av organ"), choices=DecisionBody.choices)
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=None,
        required=False,
        empty_label=_("Hela portföljen"),
        help_text=_("Ett organ för ett program beslutar bara om programmets initiativ."),
    )
    matters = forms.MultipleChoiceField(
        label=_("Beslutar om"),
        choices=Matter.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    members = PeopleChoice(
        label=_("Ledamöter"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    substitutes = PeopleChoice(
        label=_("Ersättare"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Ersättarna kallas med ledamöterna och tjänstgör för en frånvarande ledamot."),
    )
    chair = PersonChoice(
        label=_("Ordförande"),
        queryset=None,
        required=False,
        help_text=_("Ordföranden eller sekreteraren registrerar organets beslut."),
    )
    secretary = PersonChoice(label=_("Sekreterare"), queryset=None, required=False)
    is_active = forms.BooleanField(label=_("Organet är aktivt"), required=False, initial=True)
    version = VersionField(required=False)

    def __init__(self, *args, people, programs, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("members", "substitutes", "chair", "secretary"):
            self.fields[name].queryset = people
        self.fields["program"].queryset = programs

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["members"] = list(data["members"])
        data["substitutes"] = list(data["substitutes"])
        return data
