"""One filter set for initiatives, shared by the list page, the API and exports."""

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from municipalities.choices import CollaborationLevel
from municipalities.models import Constellation, Municipality
from samverkan.widgets import PlainSelect, PlainSelectMultiple

from .choices import Area, Health, ParticipationStatus, Stage
from .models import Initiative, Portfolio, Program
from .selectors.access import visible_constellations, visible_portfolios

HEALTH_FIELDS = ("health_time", "health_cost", "health_quality")


def with_latest_health(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Annotate the health of each initiative's latest status report (None without one),
    through the reference that `services.status` keeps on the initiative: one join."""
    return queryset.annotate(
        **{f"latest_{name}": F(f"latest_status__{name}") for name in HEALTH_FIELDS}
    )


def overall_health(time: str | None, cost: str | None, quality: str | None) -> str | None:
    """The worst of the three: red if any is red, yellow if any is yellow, else green."""
    values = {time, cost, quality} - {None, ""}
    for level in (Health.RED, Health.YELLOW, Health.GREEN):
        if level in values:
            return level
    return None


def _health_condition(level: str) -> Q:
    fields = [f"latest_{name}" for name in HEALTH_FIELDS]
    any_red = Q(**{fields[0]: Health.RED}) | Q(**{fields[1]: Health.RED})
    any_red |= Q(**{fields[2]: Health.RED})
    any_yellow = Q(**{fields[0]: Health.YELLOW}) | Q(**{fields[1]: Health.YELLOW})
    any_yellow |= Q(**{fields[2]: Health.YELLOW})
    if level == Health.RED:
        return any_red
    if level == Health.YELLOW:
        return any_yellow & ~any_red
    return Q(**{f: Health.GREEN for f in fields})


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than silently ignored."""

    TRUE, FALSE = {"true", "1"}, {"false", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Ange true eller false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.INT)
class ParticipatingMunicipalityFilter(django_filters.ModelChoiceFilter):
    """Initiatives a municipality (given by id) takes part in now."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(
            participations__municipality=value,
            participations__status=ParticipationStatus.PARTICIPATING,
        )


class InitiativeFilter(django_filters.FilterSet):
    """Filters for initiatives. Choices of related objects are limited to what the user sees."""

    constellation = django_filters.ModelChoiceFilter(
        field_name="portfolio__constellation",
        queryset=Constellation.objects.all(),
        label=_("Konstellation"),
        widget=PlainSelect,
    )
    portfolio = django_filters.ModelChoiceFilter(
        queryset=Portfolio.objects.all(), label=_("Portfölj"), widget=PlainSelect
    )
    program = django_filters.ModelChoiceFilter(
        queryset=Program.objects.all(), label=_("Program"), widget=PlainSelect
    )
    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices, label=_("Steg"), widget=PlainSelectMultiple
    )
    area = django_filters.ChoiceFilter(choices=Area.choices, label=_("Område"), widget=PlainSelect)
    collaboration_level = django_filters.TypedChoiceFilter(
        choices=CollaborationLevel.choices,
        coerce=int,
        label=_("Samverkansnivå"),
        widget=PlainSelect,
    )
    municipality = ParticipatingMunicipalityFilter(
        queryset=Municipality.objects.all(), label=_("Deltagande kommun"), widget=PlainSelect
    )
    health = django_filters.ChoiceFilter(
        choices=Health.choices,
        method="filter_health",
        label=_("Hälsa (senaste statusrapport)"),
        widget=PlainSelect,
    )
    q = django_filters.CharFilter(method="filter_search", label=_("Sök"))
    is_paused = StrictBooleanFilter(label=_("Pausad"))

    class Meta:
        model = Initiative
        fields = [
            "constellation",
            "portfolio",
            "program",
            "stage",
            "area",
            "collaboration_level",
            "municipality",
            "health",
            "q",
            "is_paused",
        ]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        if user is not None:
            portfolios = visible_portfolios(user)
            self.filters["constellation"].queryset = visible_constellations(user)
            self.filters["portfolio"].queryset = portfolios
            self.filters["program"].queryset = Program.objects.filter(
                portfolio__in=portfolios.values("id")
            )

    def filter_health(self, queryset, name, value):
        if "latest_health_time" not in queryset.query.annotations:
            queryset = with_latest_health(queryset)
        return queryset.filter(_health_condition(value))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(need__icontains=value)
            | Q(expected_benefit__icontains=value)
            | Q(reference__iexact=value)
        )
