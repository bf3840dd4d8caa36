"""The portfolio workbook written from a portfolio: the format book_preview.py reads.

One query per sheet whatever the number of initiatives. Choices are written as their
labels and municipalities by name, so a person can read and edit the file.
"""

import datetime as dt

from django.utils.translation import gettext as _

from ..choices import DecisionKind, DecisionOutcome, Health, ParticipationStatus, Stage
from ..models import CostEntry, GateDecision, Participation, StatusUpdate, TimeEntry
from .book_columns import BOOK_INITIATIVE_COLUMNS, SHEETS, THREE_N
from .columns import columns
from .exports import _initiative_value, cost_rows, initiatives_for_export, time_rows
from .lookups import choice_display
from .writer import add_sheet, new_workbook, to_bytes, xlsx_response


def _initiative_rows(initiatives):
    fields = [spec.field for spec in BOOK_INITIATIVE_COLUMNS]
    for initiative in initiatives_for_export(initiatives):
        yield [
            (_("Ja") if getattr(initiative, name) else None)
            if name in THREE_N
            else _initiative_value(initiative, name)
            for name in fields
        ]


def _participation_rows(initiatives):
    rows = (
        Participation.objects.filter(initiative__in=initiatives.values("id"))
        .select_related("initiative", "municipality")
        .order_by("initiative_id", "municipality__name")
    )
    for p in rows:
        yield [
            p.initiative.reference,
            p.initiative.title,
            p.municipality.name,
            choice_display(ParticipationStatus.choices, p.status),
            p.joined_on,
            p.left_on,
            p.leave_reason or None,
            p.implemented_on,
            _("Ja") if p.implementation_opted_out else None,
            _("Ja") if p.is_late_implementer else None,
        ]


def _kind(kind: str) -> str:
    # The gates by their short names (G0 … G3), which is how minutes write them.
    return kind if kind != DecisionKind.CANCEL else choice_display(DecisionKind.choices, kind)


def _decision_rows(initiatives):
    rows = (
        GateDecision.objects.filter(initiative__in=initiatives.values("id"))
        .select_related("initiative", "deciding_body")
        .order_by("initiative_id", "decided_on", "id")
    )
    for d in rows:
        # The new stage is written where the gate leaves a choice (G1: projekt or uppdrag).
        chosen = d.kind == DecisionKind.G1 and d.outcome == DecisionOutcome.APPROVED
        yield [
            d.initiative.reference,
            d.initiative.title,
            d.kind
            if d.kind != DecisionKind.CANCEL
            else choice_display(DecisionKind.choices, d.kind),
            choice_display(DecisionOutcome.choices, d.outcome),
            choice_display(Stage.choices, d.stage_after) if chosen else None,
            d.decided_on,
            d.body_name,
            d.meeting_reference or None,
            d.motivation or None,
            _("Ja") if d.corrects_id else None,
        ]


def _status_rows(initiatives):
    rows = (
        StatusUpdate.objects.filter(initiative__in=initiatives.values("id"))
        .select_related("initiative", "municipality")
        .order_by("initiative_id", "reported_on", "id")
    )
    for s in rows:
        yield [
            s.initiative.reference,
            s.initiative.title,
            s.reported_on,
            choice_display(Health.choices, s.health_time),
            choice_display(Health.choices, s.health_cost),
            choice_display(Health.choices, s.health_quality),
            s.progress,
            s.comment or None,
            s.municipality.name if s.municipality else None,
        ]


def _cost_rows(initiatives):
    return cost_rows(CostEntry.objects.filter(initiative__in=initiatives.values("id")))


def _time_rows(initiatives):
    return time_rows(TimeEntry.objects.filter(initiative__in=initiatives.values("id")))


WRITERS = (
    _initiative_rows,
    _participation_rows,
    _decision_rows,
    _status_rows,
    _cost_rows,
    _time_rows,
)


def portfolio_workbook_bytes(initiatives) -> bytes:
    """Every sheet of the portfolio workbook for the given initiatives (one portfolio)."""
    workbook = None
    for (_kind, title, specs), rows in zip(SHEETS, WRITERS, strict=True):
        if workbook is None:
            workbook = new_workbook(
                sheet_title=str(title), columns=columns(specs), rows=rows(initiatives)
            )
        else:
            add_sheet(workbook, title=str(title), columns=columns(specs), rows=rows(initiatives))
    return to_bytes(workbook)


def portfolio_template_bytes() -> bytes:
    """The workbook with its headings and no rows: what a collaboration fills in."""
    from ..models import Initiative

    return portfolio_workbook_bytes(Initiative.objects.none())


def portfolio_export_response(portfolio, initiatives):
    return xlsx_response(
        portfolio_workbook_bytes(initiatives),
        f"portfolj-{portfolio.reference_prefix.lower()}-{dt.date.today().isoformat()}.xlsx",  # noqa: DTZ011
    )
