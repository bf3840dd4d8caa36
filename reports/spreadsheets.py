"""Large Excel exports as report jobs.

The job keeps only the filters, as a query string; the worker applies them again with
the shared filter set and the requester's visibility when it renders, so the file holds
what that person would have downloaded from the page, with the figures of that moment.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from portfolio.excel.exports import (
    entries_workbook_bytes,
    export_filterset,
    export_query,
    export_selection,
    initiatives_workbook_bytes,
)
from portfolio.selectors.access import visible_portfolios

from .models import ReportJob, ReportKind

MAX_FILTERS_LENGTH = 2000


class ExportRefused(Exception):
    """The requester can no longer see what the export is about."""


def export_parameters(*, user, portfolio, filters: str | None) -> dict:
    """The job's parameters: the filters that apply, checked now so a bad one is a 400."""
    filters = (filters or "").lstrip("?")
    if len(filters) > MAX_FILTERS_LENGTH:
        raise ValidationError({"filters": [_("Urvalet är för långt.")]})
    data = QueryDict(filters)
    filterset = export_filterset(user=user, portfolio=portfolio, data=data)
    if filterset.is_bound and not filterset.form.is_valid():
        messages = [
            f"{filterset.form.fields[name].label}: {message}"
            if name in filterset.form.fields
            else str(message)
            for name, items in filterset.form.errors.items()
            for message in items
        ]
        raise ValidationError({"filters": messages})
    return {"filters": export_query(data)}


def render_spreadsheet(job: ReportJob) -> bytes:
    user = job.requested_by
    if (
        user is None
        or not user.is_active
        or not visible_portfolios(user).filter(pk=job.portfolio_id).exists()
    ):
        raise ExportRefused(f"Job {job.pk}: the requester no longer sees the portfolio")
    data = QueryDict((job.parameters or {}).get("filters", ""))
    with translation.override("sv"):
        initiatives, description = export_selection(user=user, portfolio=job.portfolio, data=data)
        if job.kind == ReportKind.INITIATIVES_XLSX:
            return initiatives_workbook_bytes(initiatives, filters_description=description)
        if job.kind == ReportKind.ENTRIES_XLSX:
            return entries_workbook_bytes(initiatives, filters_description=description)
    raise ValueError(f"Not a spreadsheet kind: {job.kind}")
