"""Export workbooks: initiatives (the import format) and cost and time entries.

`export_selection` turns a query string into the visible, filtered initiatives of one
portfolio; the page's synchronous download and the background job (reports) both go
through it, so a job renders exactly what the page would have.
"""

import datetime as dt
from types import SimpleNamespace

from django.db.models import Q, Sum
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import Area, CostKind, CostNature, SecurityClassification, Stage, TargetGroup
from ..filters import InitiativeFilter
from ..models import CostEntry, Program, TimeEntry
from ..selectors.access import visible_initiatives
from .columns import COST_COLUMNS, INITIATIVE_COLUMNS, TIME_COLUMNS, columns
from .lookups import choice_display
from .writer import add_sheet, new_workbook, to_bytes, xlsx_response

_SUMS = {
    "development_estimate": (CostKind.DEVELOPMENT, CostNature.ESTIMATE),
    "development_actual": (CostKind.DEVELOPMENT, CostNature.ACTUAL),
    "operation_estimate": (CostKind.OPERATION, CostNature.ESTIMATE),
    "operation_actual": (CostKind.OPERATION, CostNature.ACTUAL),
}


def export_filterset(*, user, portfolio, data) -> InitiativeFilter:
    """The shared filter set over what `user` sees of `portfolio`, bound to `data`."""
    filterset = InitiativeFilter(
        data or None,
        queryset=visible_initiatives(user).filter(portfolio=portfolio),
        request=SimpleNamespace(user=user),
    )
    filterset.form.fields["program"].queryset = Program.objects.filter(portfolio=portfolio)
    return filterset


def export_query(data) -> str:
    """Only the filters of the query string, in a stable order (stored on export jobs)."""
    kept = QueryDict(mutable=True)
    for name in sorted(InitiativeFilter.base_filters):
        values = [v for v in data.getlist(name) if v != ""]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def export_selection(*, user, portfolio, data):
    """(visible filtered initiatives, the filters in words) for an export of `portfolio`."""
    filterset = export_filterset(user=user, portfolio=portfolio, data=data)
    return filterset.qs, describe_filters(portfolio, filterset)


def describe_filters(portfolio, filterset) -> dict:
    """What the export was limited to, in words, for the "Urval" sheet."""
    description = {_("Portfölj"): portfolio.name}
    data = {}
    if filterset.is_bound:
        filterset.form.is_valid()  # cleaned_data then holds the filters that apply
        data = filterset.form.cleaned_data
    for name, value in data.items():
        if value in (None, "", [], ()) or name == "portfolio":
            continue
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(value, list | tuple):
            shown = ", ".join(str(choices.get(v, v)) for v in value)
        elif choices and not hasattr(value, "pk"):
            shown = str(choices.get(value, choices.get(str(value), value)))
        elif isinstance(value, bool):
            shown = _("Ja") if value else _("Nej")
        else:
            shown = str(value)
        description[str(field.label)] = shown
    return description


def entries_count(initiatives) -> int:
    """Rows of the costs-and-hours workbook: cost entries plus time entries."""
    ids = initiatives.values("id")
    return (
        CostEntry.objects.filter(initiative__in=ids).count()
        + TimeEntry.objects.filter(initiative__in=ids).count()
    )


def initiatives_for_export(queryset):
    """One query for every row, whatever the number of initiatives."""
    sums = {
        name: Sum("costs__amount", filter=Q(costs__kind=kind, costs__nature=nature))
        for name, (kind, nature) in _SUMS.items()
    }
    return (
        queryset.select_related("program", "proposing_municipality", "owner")
        .annotate(**sums)
        .order_by("portfolio_id", "id")
    )


def _initiative_value(initiative, field: str):
    if field in ("area", "target_group", "security_classification"):
        choices = {
            "area": Area.choices,
            "target_group": TargetGroup.choices,
            "security_classification": SecurityClassification.choices,
        }[field]
        return (
            choice_display(choices, getattr(initiative, field))
            if getattr(initiative, field)
            else None
        )
    if field == "program":
        return initiative.program.name if initiative.program else None
    if field == "proposing_municipality":
        return initiative.proposing_municipality.name
    if field == "owner":
        return initiative.owner.username if initiative.owner else None
    if field == "stage":
        return choice_display(Stage.choices, initiative.stage)
    if field == "submitted_on":
        return timezone.localtime(initiative.submitted_at).date()
    if field in _SUMS:
        return getattr(initiative, field) or 0
    value = getattr(initiative, field)
    return None if value == "" else value


def initiative_rows(queryset):
    fields = [spec.field for spec in INITIATIVE_COLUMNS]
    for initiative in initiatives_for_export(queryset):
        yield [_initiative_value(initiative, f) for f in fields]


def initiatives_workbook_bytes(queryset, *, filters_description=None) -> bytes:
    workbook = new_workbook(
        sheet_title=_("Initiativ"),
        columns=columns(INITIATIVE_COLUMNS),
        rows=initiative_rows(queryset),
    )
    return to_bytes(workbook, filters_description)


def initiatives_export_response(request, queryset, *, filters_description=None):
    """The .xlsx of the given (already visible and filtered) initiatives."""
    return xlsx_response(
        initiatives_workbook_bytes(queryset, filters_description=filters_description),
        f"initiativ-{dt.date.today().isoformat()}.xlsx",  # noqa: DTZ011 - a file name
    )


def cost_rows(queryset):
    entries = queryset.select_related("initiative", "paid_by").order_by(
        "initiative_id", "period", "id"
    )
    for entry in entries:
        yield [
            entry.initiative.reference,
            entry.initiative.title,
            choice_display(CostKind.choices, entry.kind),
            choice_display(CostNature.choices, entry.nature),
            entry.period,
            entry.amount,
            entry.paid_by.name if entry.paid_by else None,
            entry.description or None,
        ]


def time_rows(queryset):
    entries = queryset.select_related("initiative", "municipality").order_by(
        "initiative_id", "period", "id"
    )
    for entry in entries:
        yield [
            entry.initiative.reference,
            entry.initiative.title,
            entry.municipality.name,
            entry.period,
            entry.hours,
            entry.role or None,
            entry.description or None,
        ]


def entries_workbook_bytes(initiatives, *, filters_description=None) -> bytes:
    """Costs on the first sheet, hours on the second: each sheet imports on its own."""
    costs = CostEntry.objects.filter(initiative__in=initiatives.values("id"))
    hours = TimeEntry.objects.filter(initiative__in=initiatives.values("id"))
    workbook = new_workbook(
        sheet_title=_("Kostnader"), columns=columns(COST_COLUMNS), rows=cost_rows(costs)
    )
    add_sheet(
        workbook, title=_("Tidsinsatser"), columns=columns(TIME_COLUMNS), rows=time_rows(hours)
    )
    return to_bytes(workbook, filters_description)


def entries_export_response(request, initiatives, *, filters_description=None):
    return xlsx_response(
        entries_workbook_bytes(initiatives, filters_description=filters_description),
        f"kostnader-och-tid-{dt.date.today().isoformat()}.xlsx",  # noqa: DTZ011
    )
