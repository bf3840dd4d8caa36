"""Forms of the economy pages: entering costs and hours, choosing scenarios."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality

from ..choices import CostKind, CostNature
from ..forms.base import VersionField


class CostEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kostnadsslag"), choices=CostKind.choices)
    nature = forms.ChoiceField(label=_("Estimat eller utfall"), choices=CostNature.choices)
    period = forms.DateField(
        label=_("Datum (ÅÅÅÅ-MM-DD)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange datum som ÅÅÅÅ-MM-DD, till exempel 2026-03-31.")},
    )
    amount = forms.IntegerField(
        label=_("Belopp (hela kronor)"),
        min_value=1,
        error_messages={
            "invalid": _("Ange beloppet i hela kronor."),
            "min_value": _("Beloppet ska vara större än noll."),
        },
    )
    paid_by = forms.ModelChoiceField(
        label=_("Betalad av (för utfall)"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("– ingen (estimat) –"),
    )
    description = forms.CharField(label=_("Beskrivning"), max_length=300, required=False)

    def __init__(self, *args, municipalities=None, estimates=True, **kwargs):
        """`estimates`: whether the user may enter estimates (policies.can_write_cost);
        if not, the form offers actual costs only."""
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["paid_by"].queryset = municipalities
        if not estimates:
            self.fields["nature"].choices = [(CostNature.ACTUAL, CostNature.ACTUAL.label)]
            self.fields["paid_by"].empty_label = None


class EntryVersionForm(forms.Form):
    """The version of the entry the page showed, sent back when it is removed."""

    version = VersionField()


class TimeEntryForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Kommun"), queryset=Municipality.objects.none(), empty_label=None
    )
    period = forms.DateField(
        label=_("Datum (ÅÅÅÅ-MM-DD)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange datum som ÅÅÅÅ-MM-DD, till exempel 2026-03-31.")},
    )
    hours = forms.DecimalField(
        label=_("Timmar"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "invalid": _("Ange antalet timmar, till exempel 7,5."),
            "min_value": _("Antalet timmar ska vara större än noll."),
            "max_decimal_places": _("Ange högst två decimaler."),
        },
        localize=True,
    )
    role = forms.CharField(label=_("Roll"), max_length=80, required=False)
    description = forms.CharField(label=_("Beskrivning"), max_length=300, required=False)

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities
