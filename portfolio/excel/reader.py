"""Opening an uploaded workbook without trusting it.

Only .xlsx; a size limit on the upload and on what the zip unpacks to; macros are
never run (openpyxl does not run them) and formulas are not calculated: a formula
cell gives the value Excel saved with it, and one without a saved value is refused.
Only the first sheet, or the sheet named by the user, is read.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import cells

# The confirmation carries the file back in a form field, which must stay under
# DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB) once base64-encoded.
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_MAX_ROWS = 2000
# A zip can unpack to far more than it weighs; refuse before openpyxl unpacks it.
MAX_UNPACKED_RATIO = 40
HEADER_SEARCH_ROWS = 10


def max_bytes() -> int:
    return getattr(settings, "EXCEL_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "EXCEL_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why, in Swedish."""


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


def check_upload(*, name: str, size: int) -> None:
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


def _check_zip(content: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise FileRefused(_("Filen går inte att läsa som en Excel-arbetsbok (.xlsx)."))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > max(max_bytes(), len(content)) * MAX_UNPACKED_RATIO:
        raise FileRefused(_("Filen innehåller för mycket data för att läsas in."))


def _open(content: bytes, *, data_only: bool):
    try:
        return load_workbook(
            io.BytesIO(content), read_only=True, data_only=data_only, keep_links=False
        )
    except Exception as exc:  # noqa: BLE001 - any parse failure is the file's fault
        raise FileRefused(_("Filen går inte att läsa som en Excel-arbetsbok (.xlsx).")) from exc


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


def read_sheet(content: bytes, *, sheet_name: str | None = None) -> Sheet:
    _check_zip(content)
    values_book = _open(content, data_only=True)
    formulas_book = _open(content, data_only=False)
    try:
        values_sheet = _pick_sheet(values_book, sheet_name)
        formula_sheet = formulas_book[values_sheet.title]
        limit = max_rows()
        value_rows, formula_rows = [], []
        for values, formulas in zip(
            values_sheet.iter_rows(values_only=True),
            formula_sheet.iter_rows(values_only=True),
            strict=False,
        ):
            value_rows.append(values)
            formula_rows.append(formulas)
            if len(value_rows) > limit + HEADER_SEARCH_ROWS + 1:
                raise FileRefused(
                    _("Filen har för många rader; högst %(limit)s rader kan läsas in åt gången.")
                    % {"limit": limit}
                )
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
