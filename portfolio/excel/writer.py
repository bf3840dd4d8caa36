"""Workbooks with Swedish headings and real cell types.

A column declares its heading and its kind; the writer turns values into real numbers
and dates with a display format, never into text, so a user can sum and sort them.

Every cell goes through `write_cell`, which keeps text inert: text is stored as a text
cell, never a formula, and text that a spreadsheet would take for a formula once the
cell is edited (OWASP's =, +, -, @, tab, carriage return) carries Excel's quote prefix,
the stored form of a typed leading apostrophe. The reader sees the text as it was
written, and the importer reads it back unchanged.
"""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from samverkan.inert_text import without_bidi_controls

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    KRONOR = "kronor"
    DATE = "date"
    DECIMAL = "decimal"
    PERCENT = "percent"


# Number formats are stored in Excel's invariant notation: "," is the thousands
# separator there, and a Swedish Excel shows it as a space ("1 200 000 kr"). A literal
# space in the format would group by position only and show "1200 000 kr".
NUMBER_FORMATS = {
    Kind.TEXT: "@",
    Kind.INT: "0",
    Kind.KRONOR: '#,##0 "kr"',
    Kind.DATE: "yyyy-mm-dd",
    Kind.DECIMAL: "#,##0.00",
    Kind.PERCENT: "0.0%",
}

WIDTHS = {Kind.TEXT: 28, Kind.DATE: 12, Kind.KRONOR: 16}
HEADER_FONT = Font(bold=True)
READ_ONLY_FILL = PatternFill("solid", fgColor="E7E6E6")
# OWASP's list; a carriage return reaches the reader as a line feed (XML normalises line
# ends), so a leading line feed is quoted too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: int | None = None
    read_only: bool = False  # shown, but the importer does not read it


def cell_value(kind: Kind, value):
    """The value as Excel should store it: numbers as numbers, dates as dates."""
    if value is None or value == "":
        return None
    if kind == Kind.TEXT:
        return str(value)
    if kind in (Kind.INT, Kind.KRONOR):
        return int(value)
    if kind == Kind.DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        return value
    if kind == Kind.DECIMAL:
        return float(value) if isinstance(value, Decimal | Fraction) else value
    if kind == Kind.PERCENT:
        # Shares are exact in the domain; Excel stores binary floats, and this is display.
        return float(value)
    raise ValueError(kind)


def is_inert_text(text: str) -> bool:
    """Text that needs neither a quote prefix nor the removal of bidi controls."""
    return not text.startswith(FORMULA_STARTS) and without_bidi_controls(text) == text


def write_cell(sheet, row: int, column: int, value):
    """Put `value` in the cell; text is written as inert text (see the module's doc)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        # XML 1.0 cannot hold most control characters; text saved through the API may.
        value = ILLEGAL_CHARACTERS_RE.sub("", without_bidi_controls(value))
        cell.value = value
        cell.data_type = "s"  # openpyxl would make text starting with "=" a formula
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _write_sheet(sheet, columns, rows) -> None:
    for index, column in enumerate(columns, start=1):
        heading = write_cell(sheet, 1, index, column.header)
        heading.font = HEADER_FONT
        if column.read_only:
            heading.fill = READ_ONLY_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width or WIDTHS.get(
            column.kind, 14
        )
    for number, row in enumerate(rows, start=2):
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            write_cell(sheet, number, index, cell_value(column.kind, value))
    for index, column in enumerate(columns, start=1):
        number_format = NUMBER_FORMATS[column.kind]
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = number_format
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"


def add_sheet(workbook, *, title: str, columns, rows) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    _write_sheet(sheet, columns, rows)


def _filters_sheet(workbook, filters_description) -> None:
    sheet = workbook.create_sheet(title=_("Urval"))
    write_cell(sheet, 1, 1, _("Urval")).font = HEADER_FONT
    write_cell(sheet, 1, 2, _("Värde")).font = HEADER_FONT
    items = (
        filters_description.items()
        if isinstance(filters_description, dict)
        else [(str(filters_description), "")]
    )
    for number, (name, value) in enumerate(items, start=2):
        write_cell(sheet, number, 1, str(name))
        write_cell(sheet, number, 2, str(value))
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 50


def new_workbook(*, sheet_title: str, columns, rows) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    _write_sheet(sheet, columns, rows)
    return workbook


def to_bytes(workbook: Workbook, filters_description=None) -> bytes:
    # The filters go on a sheet of their own after the data, so the data sheet stays
    # first and the file can be imported again as it is.
    if filters_description:
        _filters_sheet(workbook, filters_description)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_bytes(*, sheet_title: str, columns, rows, filters_description=None) -> bytes:
    """One data sheet (and an "Urval" sheet naming the filters when there are any)."""
    return to_bytes(
        new_workbook(sheet_title=sheet_title, columns=columns, rows=rows), filters_description
    )


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def workbook_response(
    *, filename: str, sheet_title: str, columns, rows, filters_description=None
) -> HttpResponse:
    return xlsx_response(
        workbook_bytes(
            sheet_title=sheet_title,
            columns=columns,
            rows=rows,
            filters_description=filters_description,
        ),
        filename,
    )
