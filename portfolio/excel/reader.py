"""Opening an uploaded workbook without trusting it.

Only .xlsx; a size limit on the upload, and a limit on the work of reading it
(workload.py: unpacked bytes, cells, shared strings, columns) checked before openpyxl
parses the sheet; rows are never padded past the column limit. Macros are never run
(openpyxl does not run them) and formulas are not calculated: a formula cell gives
the value Excel saved with it, and one without a saved value is refused. Only the
first sheet, or the sheet named by the user, is read.
"""

import io
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import cells
from .refusal import FileRefused
from .workload import (
    HEADER_SLACK_ROWS,
    check_workload,
    max_bytes,
    max_columns,
    max_rows,
)

__all__ = [
    "FileRefused",
    "Sheet",
    "SheetRow",
    "check_upload",
    "check_uploaded_file",
    "max_bytes",
    "read_sheet",
    "sheet_titles",
]

HEADER_SEARCH_ROWS = HEADER_SLACK_ROWS - 1


def _unreadable() -> str:
    return _("Filen går inte att läsa som en Excel-arbetsbok (.xlsx).")


@dataclass
class SheetRow:
    number: int  # the row number Excel shows
    values: dict[str, object]  # header -> value
    formula_errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[SheetRow]


def check_upload(*, name: str, size: int, content: bytes | None = None) -> None:
    """Refuse an upload by its name and size, and, given its content, by the work
    reading it would cost (workload.py), before anything else looks at it."""
    if not name.lower().endswith(".xlsx"):
        raise FileRefused(
            _("Filen måste vara en Excel-arbetsbok (.xlsx). Spara den som .xlsx och försök igen.")
        )
    limit = max_bytes()
    if size > limit:
        raise FileRefused(
            _("Filen är för stor (%(size)s kB); största tillåtna storlek är %(limit)s kB.")
            % {"size": size // 1024, "limit": limit // 1024}
        )
    if content is not None:
        check_workload(content)


def check_uploaded_file(upload) -> None:
    """check_upload for an uploaded file, which is left ready to be read again."""
    check_upload(name=upload.name, size=upload.size)
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    check_upload(name=upload.name, size=len(content), content=content)


def _open(content: bytes, *, data_only: bool):
    try:
        return load_workbook(
            io.BytesIO(content), read_only=True, data_only=data_only, keep_links=False
        )
    except Exception as exc:  # noqa: BLE001 - any parse failure is the file's fault
        raise FileRefused(_unreadable()) from exc


def _pick_sheet(workbook, sheet_name: str | None):
    if sheet_name:
        for title in workbook.sheetnames:
            if title.strip().casefold() == sheet_name.strip().casefold():
                return workbook[title]
        raise FileRefused(
            _("Arbetsboken har inget blad som heter ”%(name)s”. Bladen heter: %(names)s.")
            % {"name": sheet_name, "names": ", ".join(workbook.sheetnames)}
        )
    return workbook.worksheets[0]


def _find_header(rows) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(not cells.is_blank(v) for v in row):
            return index
    return None


def _read_rows(values_sheet, formula_sheet, limit: int):
    # An explicit width: openpyxl otherwise pads each row to its last cell or to the
    # sheet's declared dimension, both of which the file chooses.
    width = max_columns()
    value_rows, formula_rows = [], []
    try:
        for values, formulas in zip(
            values_sheet.iter_rows(values_only=True, max_col=width),
            formula_sheet.iter_rows(values_only=True, max_col=width),
            strict=False,
        ):
            value_rows.append(values)
            formula_rows.append(formulas)
            if len(value_rows) > limit + HEADER_SLACK_ROWS:
                raise FileRefused(
                    _("Filen har för många rader; högst %(limit)s rader kan läsas in åt gången.")
                    % {"limit": limit}
                )
    except (zipfile.BadZipFile, ParseError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, FileRefused):
            raise
        raise FileRefused(_unreadable()) from exc
    return value_rows, formula_rows


def sheet_titles(content: bytes) -> list[str]:
    """The names of the workbook's sheets, after the same refusals as read_sheet."""
    check_workload(content)
    workbook = _open(content, data_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_sheet(content: bytes, *, sheet_name: str | None = None) -> Sheet:
    check_workload(content)
    values_book = _open(content, data_only=True)
    formulas_book = _open(content, data_only=False)
    try:
        values_sheet = _pick_sheet(values_book, sheet_name)
        formula_sheet = formulas_book[values_sheet.title]
        limit = max_rows()
        value_rows, formula_rows = _read_rows(values_sheet, formula_sheet, limit)
        title = values_sheet.title
    finally:
        values_book.close()
        formulas_book.close()

    header_index = _find_header(value_rows)
    if header_index is None:
        raise FileRefused(_("Bladet ”%(title)s” är tomt.") % {"title": title})
    headers = [cells.text(v) for v in value_rows[header_index]]
    rows = []
    for offset, (values, formulas) in enumerate(
        zip(value_rows[header_index + 1 :], formula_rows[header_index + 1 :], strict=False)
    ):
        if all(cells.is_blank(v) for v in values) and all(cells.is_blank(f) for f in formulas):
            continue
        row = SheetRow(number=header_index + offset + 2, values={})
        for position, header in enumerate(headers):
            if not header:
                continue
            value = values[position] if position < len(values) else None
            formula = formulas[position] if position < len(formulas) else None
            if isinstance(formula, str) and formula.startswith("=") and value is None:
                row.formula_errors[header] = _(
                    "Cellen innehåller en formel utan sparat värde. Formler räknas inte ut "
                    "vid import: öppna och spara filen i Excel, eller klistra in värdena."
                )
            row.values[header] = value
        rows.append(row)
    if len(rows) > limit:
        raise FileRefused(
            _("Filen har för många rader; högst %(limit)s rader kan läsas in åt gången.")
            % {"limit": limit}
        )
    return Sheet(title=title, headers=[h for h in headers if h], rows=rows)
