"""Shared steps of every import: matching headings, municipalities and choice labels."""

from django.utils import translation
from django.utils.translation import gettext as _

from municipalities.models import Municipality

from . import cells
from .preview import Preview
from .reader import FileRefused, Sheet


def open_sheet(preview: Preview, read, specs, required: tuple[str, ...]) -> Sheet | None:
    """Read the sheet with `read()` and map its headings onto `preview`. None when the file
    is refused, its headings are wrong or it has no rows: the reasons are in the preview."""
    try:
        sheet = read()
    except FileRefused as exc:
        preview.file_errors.append(str(exc))
        return None
    preview.sheet_title = sheet.title
    preview.mapping = map_headers(sheet, specs, preview, required=required)
    if preview.file_errors:
        return None
    if not sheet.rows:
        preview.file_errors.append(_("Filen innehåller inga rader att importera."))
        return None
    return sheet


def map_headers(sheet: Sheet, specs, preview: Preview, required: tuple[str, ...]) -> dict:
    """{field: header in the file} for the columns we read; notes unknown and missing ones."""
    by_header = {}
    for spec in specs:
        for accepted in spec.accepted_headers():
            by_header[accepted] = spec
    mapping, seen = {}, {}
    for header in sheet.headers:
        spec = by_header.get(header.casefold())
        if spec is None:
            preview.warnings.append(
                _("Kolumnen ”%(header)s” känns inte igen och läses inte.") % {"header": header}
            )
            continue
        if spec.field in seen:
            preview.file_errors.append(
                _("Kolumnen ”%(header)s” finns två gånger.") % {"header": header}
            )
            continue
        seen[spec.field] = header
        if spec.checked:
            preview.checked[spec.field] = header
        if spec.read_only:
            if spec.not_imported:
                preview.warnings.append(
                    _("Kolumnen ”%(header)s” läses inte: %(reason)s.")
                    % {"header": header, "reason": spec.not_imported}
                )
            continue
        mapping[spec.field] = header
    for spec in specs:
        if spec.field in required and spec.field not in mapping:
            preview.file_errors.append(
                _("Kolumnen ”%(header)s” saknas. Ladda ner mallen för att se kolumnerna.")
                % {"header": spec.header}
            )
    preview.headers = [h for h in sheet.headers if h.casefold() in by_header]
    return mapping


class MunicipalityLookup:
    """Finds a municipality by kommunkod ("1460", also 460 as a number) or by name."""

    def __init__(self):
        self.by_key = {}
        for municipality in Municipality.objects.all():
            self.by_key[municipality.code] = municipality
            self.by_key[municipality.name.casefold()] = municipality

    def find(self, value):
        if cells.is_blank(value):
            return None
        key = cells.text(value)
        if key.isdigit():
            key = key.zfill(4)
        municipality = self.by_key.get(key) or self.by_key.get(key.casefold())
        if municipality is None:
            raise cells.CellError(
                _("Kommunen ”%(value)s” finns inte. Ange kommunens namn eller kommunkod.")
                % {"value": cells.text(value)}
            )
        return municipality


def choice_lookup(choices) -> dict:
    """Accept the stored value and the label, in Swedish and in the user's language."""
    table = {}
    for value, label in choices:
        table[str(value).casefold()] = value
        table[str(label).casefold()] = value
        with translation.override("sv"):
            table[str(label).casefold()] = value
    return table


def parse_choice(value, table: dict, allowed_labels: str):
    if cells.is_blank(value):
        return None
    key = cells.text(value).casefold()
    if key in table:
        return table[key]
    raise cells.CellError(
        _("”%(value)s” är inget giltigt värde. Tillåtna värden: %(allowed)s.")
        % {"value": cells.text(value), "allowed": allowed_labels}
    )


def choice_display(choices, value) -> str:
    for stored, label in choices:
        if stored == value:
            return str(label)
    return "" if value in (None, "") else str(value)
