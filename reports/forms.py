from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.choices import Gate
from portfolio.selectors.access import visible_initiatives, visible_portfolios

from .models import ORDERABLE_KINDS
from .selectors import visible_municipalities


class ReportRequestForm(forms.Form):
    """What to produce; the service checks access and the parameters again."""

    kind = forms.ChoiceField(label=_("Dokument"), choices=ORDERABLE_KINDS)
    portfolio = forms.TypedChoiceField(
        label=_("Portfölj (portföljrapport och Excel)"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    initiative = forms.TypedChoiceField(
        label=_("Initiativ (beslutsunderlag)"), required=False, coerce=int, empty_value=None
    )
    gate = forms.ChoiceField(
        label=_("Grind (beslutsunderlag)"),
        required=False,
        choices=[("", _("Nästa grind"))] + list(Gate.choices),
    )
    decision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    municipality = forms.TypedChoiceField(
        label=_("Kommun (kommunrapport)"), required=False, coerce=int, empty_value=None
    )
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=30,
        help_text=_("Ett halvår, till exempel 2026H1. Tomt betyder innevarande halvår."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        empty = [("", "—")]
        self.fields["portfolio"].choices = empty + [
            (p.pk, p.name) for p in visible_portfolios(user).order_by("name")
        ]
        self.fields["initiative"].choices = empty + [
            (i.pk, f"{i.reference} {i.title}")
            for i in visible_initiatives(user).order_by("portfolio__name", "id")
        ]
        self.fields["municipality"].choices = empty + [
            (m.pk, m.name) for m in visible_municipalities(user).order_by("name")
        ]
