"""Importing a portfolio workbook: every row of every sheet, or nothing.

The file is checked again inside the transaction (the data may have changed since the
preview); then the initiatives are written, then their decisions in date order, then
participation, status reports, costs and hours, through the moving-in and cost services. Any refusal
rolls everything back and names the row.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Portfolio
from ..services.errors import DomainError
from .book_columns import COSTS, DECISIONS, INITIATIVES, PARTICIPATION, STATUS, TIME
from .book_preview import portfolio_preview
from .importer import _row_error
from .preview import CREATE, UNCHANGED, UPDATE, ImportRefused, ImportResult


def _count(result: ImportResult, action: str) -> None:
    if action == CREATE:
        result.created += 1
    elif action == UPDATE:
        result.updated += 1
    elif action == UNCHANGED:
        result.unchanged += 1


def _initiative(actor, portfolio, key, row):
    from ..services.initiatives import initiative_update
    from ..services.moving_in import initiative_move_in

    if row.action == CREATE:
        fields = dict(row.fields)
        return initiative_move_in(
            actor=actor,
            portfolio=portfolio,
            title=fields.pop("title"),
            imported_reference=key.number,
            submitted_on=key.submitted_on,
            **fields,
        )
    if row.action == UPDATE and row.fields:
        return initiative_update(
            actor=actor, initiative=row.target, version=row.target.version, **row.fields
        )
    return row.target


def _history(actor, kind: str, row) -> None:
    from ..services import costs, moving_in

    key = row.target
    fields = dict(row.fields)
    if kind == DECISIONS:
        body, deciding_body = fields.pop("body")
        moving_in.decision_import(
            actor=actor,
            initiative=key.initiative,
            body=body,
            deciding_body=deciding_body,
            **fields,
        )
    elif kind == PARTICIPATION:
        moving_in.participation_move_in(actor=actor, initiative=key.initiative, **fields)
    elif kind == STATUS:
        moving_in.status_move_in(actor=actor, initiative=key.initiative, **fields)
    elif kind == COSTS:
        costs.cost_entry_create(actor=actor, initiative=key.initiative, past=True, **fields)
    elif kind == TIME:
        costs.time_entry_create(actor=actor, initiative=key.initiative, past=True, **fields)


def _set_three_n(actor, key) -> None:
    from ..models import Initiative
    from ..services.benefits import initiative_set_3n

    fresh = Initiative.objects.select_related("portfolio__constellation", "program").get(
        pk=key.initiative.pk
    )
    initiative_set_3n(actor=actor, initiative=fresh, version=fresh.version, **key.three_n)


def portfolio_import(
    *, actor, portfolio: Portfolio, content: bytes, sheet_name=None
) -> ImportResult:
    """Write every sheet of the workbook, or nothing: raises ImportRefused with the preview."""
    with transaction.atomic():
        list(Portfolio.objects.select_for_update().filter(pk=portfolio.pk).values_list("pk"))
        preview = portfolio_preview(actor=actor, portfolio=portfolio, content=content)
        if not preview.is_valid:
            raise ImportRefused(preview)
        result = ImportResult()
        current = None
        try:
            for key in preview.keys.values():
                if key.row is None:
                    key.initiative = key.target
                    continue
                current = key.row
                key.initiative = _initiative(actor, portfolio, key, key.row)
                _count(result, key.row.action)
            for kind in (DECISIONS, PARTICIPATION, STATUS, COSTS, TIME):
                sheet = preview.by_kind.get(kind)
                rows = sheet.rows if sheet else []
                if kind == DECISIONS:
                    rows = sorted(rows, key=lambda row: row.fields["decided_on"])
                for row in rows:
                    current = row
                    if row.action in (CREATE, UPDATE):
                        _history(actor, kind, row)
                    _count(result, row.action)
            for key in preview.keys.values():
                if key.three_n:
                    current = key.row
                    _set_three_n(actor, key)
        except (ValidationError, DomainError) as exc:
            sheet = preview.by_kind.get(INITIATIVES)
            _row_error(current, exc, sheet.mapping if sheet else {})
            raise ImportRefused(preview) from exc
        return result
