"""Importing cost and time entries from Excel, per initiative, all rows or none.

Each row names its initiative by "Initiativnummer". An entry has no number of its
own, so a row counts as already imported when an identical entry exists (same
initiative, period, amount or hours, municipality, kind and text); identical rows are
matched one to one, so importing the same file again changes nothing. Who may report
is decided per row by `policies.can_write_cost` (costs: estimates are the program's)
and `policies.can_report_for` (hours).
"""

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policies
from ..choices import CostKind, CostNature
from ..models import (
    CostEntry,
    Initiative,
    Participation,
    Portfolio,
    SettledPeriod,
    TimeEntry,
)
from ..periods import parse_period
from ..services.errors import DomainError, NotAllowedError
from . import cells
from .columns import COST_COLUMNS, REFERENCE, TIME_COLUMNS
from .importer import _row_error
from .lookups import MunicipalityLookup, choice_lookup, open_sheet, parse_choice
from .preview import CREATE, UNCHANGED, ImportRefused, ImportResult, Preview, PreviewRow
from .reader import FileRefused, read_sheet

COSTS = "costs"
TIME = "time"
HOURS_LIMIT = Decimal("999999.99")
_HALF_YEAR = re.compile(r"^\d{4}H[12]$")


@dataclass(frozen=True)
class EntryKind:
    name: str
    specs: tuple
    required: tuple[str, ...]
    default_sheet: object  # the sheet our own export writes; read when it exists
    text_limits: dict


KINDS = {
    COSTS: EntryKind(
        COSTS,
        COST_COLUMNS,
        (REFERENCE, "kind", "nature", "period", "amount"),
        gettext_lazy("Kostnader"),
        {"description": CostEntry._meta.get_field("description").max_length},
    ),
    TIME: EntryKind(
        TIME,
        TIME_COLUMNS,
        (REFERENCE, "municipality", "period", "hours"),
        gettext_lazy("Tidsinsatser"),
        {
            "description": TimeEntry._meta.get_field("description").max_length,
            "role": TimeEntry._meta.get_field("role").max_length,
        },
    ),
}


def can_import_entries(user, portfolio) -> bool:
    """Anyone who may report for some initiative; each row is checked on its own."""
    return policies.is_member(user, portfolio) and not policies.is_reader_only(user, portfolio)


def _period(raw):
    """A date, or a half-year ("2026H1") stored as its first day."""
    if isinstance(raw, str) and _HALF_YEAR.match(raw.strip()):
        return parse_period(raw.strip()).start
    value = cells.date(raw)
    if value is None:
        raise cells.CellError(_("Period saknas. Ange ett datum eller ett halvår som 2026H1."))
    return value


def _hours(raw):
    value = cells.decimal(raw)
    if value is None:
        raise cells.CellError(_("Antal timmar saknas."))
    if value <= 0:
        raise cells.CellError(_("Antalet timmar måste vara större än noll."))
    if value > HOURS_LIMIT or value != value.quantize(Decimal("0.01")):
        raise cells.CellError(_("Ange timmar med högst två decimaler, till exempel 7,5."))
    return value.quantize(Decimal("0.01"))


class _Context:
    def __init__(self, *, actor, portfolio, kind: EntryKind):
        self.actor = actor
        self.kind = kind
        self.municipalities = MunicipalityLookup()
        initiatives = (
            Initiative.objects.filter(portfolio=portfolio)
            .select_related("portfolio__constellation", "program")
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.only(
                        "id", "initiative_id", "municipality_id", "status"
                    ),
                )
            )
        )
        self.initiatives = {i.reference.casefold(): i for i in initiatives}
        self.settled = list(SettledPeriod.objects.filter(portfolio=portfolio))
        self.kind_table = choice_lookup(CostKind.choices)
        self.nature_table = choice_lookup(CostNature.choices)
        if kind.name == COSTS:
            existing = CostEntry.objects.filter(initiative__portfolio=portfolio)
            self.existing = Counter(_signature(COSTS, e.__dict__) for e in existing)
        else:
            existing = TimeEntry.objects.filter(initiative__portfolio=portfolio)
            self.existing = Counter(_signature(TIME, e.__dict__) for e in existing)

    def settled_period(self, day):
        return next((p for p in self.settled if p.starts_on <= day <= p.ends_on), None)

    def parse(self, field: str, raw):
        if field == REFERENCE:
            reference = cells.text(raw)
            if not reference:
                raise cells.CellError(_("Initiativnummer saknas."))
            initiative = self.initiatives.get(reference.casefold())
            if initiative is None:
                raise cells.CellError(
                    _("Initiativnumret %(reference)s finns inte i portföljen.")
                    % {"reference": reference}
                )
            return initiative
        if field == "kind":
            value = parse_choice(raw, self.kind_table, _labels(CostKind.choices))
            if value is None:
                raise cells.CellError(_("Kostnadsslag saknas."))
            return value
        if field == "nature":
            value = parse_choice(raw, self.nature_table, _labels(CostNature.choices))
            if value is None:
                raise cells.CellError(_("Ange Estimat eller Utfall."))
            return value
        if field == "period":
            return _period(raw)
        if field == "amount":
            value = cells.kronor(raw)
            if value is None:
                raise cells.CellError(_("Belopp saknas."))
            return value
        if field == "hours":
            return _hours(raw)
        if field in ("paid_by", "municipality"):
            municipality = self.municipalities.find(raw)
            if municipality is None and field == "municipality":
                raise cells.CellError(_("Ange vilken kommun som lade ner tiden."))
            return municipality
        if field in self.kind.text_limits:
            value = cells.text(raw)
            limit = self.kind.text_limits[field]
            if len(value) > limit:
                raise cells.CellError(
                    _("Texten är för lång: högst %(limit)s tecken, här %(length)s.")
                    % {"limit": limit, "length": len(value)}
                )
            return value
        raise KeyError(field)


def _labels(choices) -> str:
    return ", ".join(str(label) for _value, label in choices)


def _id(value):
    return getattr(value, "pk", value)


def _signature(kind: str, values: dict) -> tuple:
    """What makes two entries the same entry; works on parsed rows and stored rows."""
    initiative = values.get("initiative", values.get("initiative_id"))
    if kind == COSTS:
        paid_by = values.get("paid_by", values.get("paid_by_id"))
        return (
            _id(initiative),
            values["kind"],
            values["nature"],
            values["period"],
            int(values["amount"]),
            _id(paid_by),
            values.get("description") or "",
        )
    municipality = values.get("municipality", values.get("municipality_id"))
    return (
        _id(initiative),
        _id(municipality),
        values["period"],
        Decimal(values["hours"]),
        values.get("role") or "",
        values.get("description") or "",
    )


def _check_permission(row: PreviewRow, kind: str, context: _Context, mapping: dict) -> None:
    initiative = row.fields["initiative"]
    municipality = row.fields.get("paid_by" if kind == COSTS else "municipality")
    if kind == COSTS:
        nature = row.fields["nature"]
        allowed = policies.can_write_cost(context.actor, initiative, nature, _id(municipality))
    else:
        allowed = policies.can_report_for(context.actor, initiative, _id(municipality))
    if allowed:
        return
    if kind == COSTS and row.fields["nature"] == CostNature.ESTIMATE:
        message = _(
            "Estimaten i %(reference)s delas av alla deltagare; bara programledaren för "
            "initiativets program och samordnaren kan registrera dem."
        ) % {"reference": initiative.reference}
        row.add_error(mapping.get("nature", ""), message)
        return
    if municipality is None:
        message = _("Du får inte rapportera kostnader för %(reference)s.") % {
            "reference": initiative.reference
        }
    else:
        message = _(
            "Du får inte rapportera för %(municipality)s i %(reference)s; kommunen "
            "måste delta i initiativet och du måste företräda den."
        ) % {"municipality": municipality.name, "reference": initiative.reference}
    row.add_error(mapping.get("paid_by" if kind == COSTS else "municipality", ""), message)


def _check_rules(row: PreviewRow, kind: str, context: _Context, mapping: dict) -> None:
    """The rules of the cost and time services, checked here so the preview shows them."""
    fields = row.fields
    if kind == COSTS:
        if fields["amount"] <= 0:
            row.add_error(mapping["amount"], _("Ange beloppet i hela kronor, större än noll."))
        paid_by_header = mapping.get("paid_by", "")
        if fields["nature"] == CostNature.ACTUAL and fields.get("paid_by") is None:
            row.add_error(paid_by_header, _("Ange vilken kommun som betalade kostnaden."))
        if fields["nature"] == CostNature.ESTIMATE and fields.get("paid_by") is not None:
            row.add_error(
                paid_by_header, _("Ett estimat har ingen betalande kommun; lämna fältet tomt.")
            )
    settled = context.settled_period(fields["period"])
    if settled is not None:
        row.add_error(
            mapping["period"],
            _("Perioden %(start)s – %(end)s är avräknad och låst.")
            % {"start": settled.starts_on.isoformat(), "end": settled.ends_on.isoformat()},
        )


def entries_preview(
    *, actor, portfolio: Portfolio, kind: str, content: bytes, sheet_name: str | None = None
) -> Preview:
    spec = KINDS[kind]
    if not can_import_entries(actor, portfolio):
        raise NotAllowedError(_("Du kan inte rapportera kostnader eller tid i portföljen."))
    preview = Preview(kind=kind)
    sheet = open_sheet(
        preview, lambda: _read(content, sheet_name, spec), spec.specs, required=spec.required
    )
    if sheet is None:
        return preview
    mapping = preview.mapping

    context = _Context(actor=actor, portfolio=portfolio, kind=spec)
    remaining = Counter(context.existing)
    for sheet_row in sheet.rows:
        row = PreviewRow(number=sheet_row.number)
        row.cells = {h: cells.text(sheet_row.values.get(h)) for h in preview.headers}
        for header, message in sheet_row.formula_errors.items():
            row.add_error(header, message)
        for field, header in mapping.items():
            if header in sheet_row.formula_errors:
                continue
            name = "initiative" if field == REFERENCE else field
            try:
                row.fields[name] = context.parse(field, sheet_row.values.get(header))
            except cells.CellError as exc:
                row.add_error(header, str(exc))
        if row.has_errors:
            preview.rows.append(row)
            continue
        signature = _signature(kind, row.fields)
        if remaining[signature] > 0:
            # Already imported: nothing is written, so nothing needs to be allowed.
            remaining[signature] -= 1
            row.action = UNCHANGED
        else:
            row.action = CREATE
            _check_permission(row, kind, context, mapping)
            _check_rules(row, kind, context, mapping)
        preview.rows.append(row)
    return preview


def _read(content: bytes, sheet_name: str | None, spec: EntryKind):
    if sheet_name:
        return read_sheet(content, sheet_name=sheet_name)
    try:
        return read_sheet(content, sheet_name=str(spec.default_sheet))
    except FileRefused:
        return read_sheet(content)


def entries_import(
    *, actor, portfolio: Portfolio, kind: str, content: bytes, sheet_name: str | None = None
) -> ImportResult:
    """Create every new entry of the file, or nothing: raises ImportRefused with the preview."""
    from ..services import costs

    with transaction.atomic():
        list(Portfolio.objects.select_for_update().filter(pk=portfolio.pk).values_list("pk"))
        preview = entries_preview(
            actor=actor, portfolio=portfolio, kind=kind, content=content, sheet_name=sheet_name
        )
        if not preview.is_valid:
            raise ImportRefused(preview)
        result = ImportResult()
        for row in preview.rows:
            if row.action == UNCHANGED:
                result.unchanged += 1
                continue
            fields = row.fields
            try:
                if kind == COSTS:
                    costs.cost_entry_create(
                        actor=actor,
                        initiative=fields["initiative"],
                        kind=fields["kind"],
                        nature=fields["nature"],
                        period=fields["period"],
                        amount=fields["amount"],
                        paid_by=fields.get("paid_by"),
                        description=fields.get("description", ""),
                    )
                else:
                    costs.time_entry_create(
                        actor=actor,
                        initiative=fields["initiative"],
                        municipality=fields["municipality"],
                        period=fields["period"],
                        hours=fields["hours"],
                        role=fields.get("role", ""),
                        description=fields.get("description", ""),
                    )
            except (ValidationError, DomainError) as exc:
                _row_error(row, exc, preview.mapping)
                raise ImportRefused(preview) from exc
            result.created += 1
        return result
