from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..models import Initiative
from ..services.initiatives import DESCRIPTION_FIELDS, EDITABLE_FIELDS
from .base import DateInput, VersionField

CREATE_FIELDS = (
    *DESCRIPTION_FIELDS,
    "program",
    "proposing_municipality",
    "planned_start",
    "planned_end",
)
# Editing asks for the rest of what the service accepts, after the create fields.
EDIT_FIELDS = (*CREATE_FIELDS, *(f for f in EDITABLE_FIELDS if f not in CREATE_FIELDS))
HELP = {
    "title": _("Ett kort namn som säger vad initiativet gäller."),
    "need": _("Vilket behov eller problem finns i kommunerna i dag?"),
    "expected_benefit": _("Vad blir bättre för invånare eller medarbetare?"),
    "area": _("Utsida: invånarnära. Insida: intern verksamhet. IT-fabrik: IT-produktion."),
    "target_group": _("Vem har nytta av lösningen?"),
    "collaboration_level": _(
        "1 stödjande, 2 stöttande, 3 kapacitet, 4 upprätthållande, 5 gemensam."
    ),
    "program": _("Programmet som ska driva initiativet. Behövs före G0."),
    "proposing_municipality": _("Den kommun som föreslår initiativet."),
}


class InitiativeForm(forms.Form):
    """Field shapes come from the model; the service does the saving and the rules."""

    def __init__(self, *args, portfolio, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        names = EDIT_FIELDS if editing else CREATE_FIELDS
        self.fields.update(
            fields_for_model(
                Initiative,
                fields=names,
                widgets={"planned_start": DateInput(), "planned_end": DateInput()},
            )
        )
        members = portfolio.constellation.members.order_by("name")
        self.fields["program"].queryset = portfolio.programs.order_by("name")
        self.fields["proposing_municipality"].queryset = members
        self.fields["proposing_municipality"].required = False
        if editing:
            self.fields["owner"].queryset = User.objects.filter(
                municipality__in=members, is_active=True
            ).order_by("first_name", "last_name")
            self.fields["version"] = VersionField()
        for name, text in HELP.items():
            if name in self.fields:
                self.fields[name].help_text = text

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if data.get("proposing_municipality") is None:
            data.pop("proposing_municipality", None)
        for name in ("area", "target_group", "security_classification"):
            if name in data and data[name] is None:
                data[name] = ""
        return data
