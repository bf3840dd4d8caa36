"""How much work an uploaded workbook may cost, checked before openpyxl reads it.

A workbook is a zip of XML parts, and a few kB on the wire can unpack to millions of
cells or shared strings that openpyxl would turn into Python objects one by one; the
size of the upload says little about the work. So before the sheet is read, every XML
part is streamed once through expat, counting cells, shared strings and elements, and
the file is refused as soon as one count passes its limit: refusing a hostile file
costs at most one budget's worth of parsing. The limits are settings; the defaults
leave a file of EXCEL_IMPORT_MAX_ROWS rows with the template's columns well inside.
"""

import io
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from .refusal import FileRefused

# The confirmation carries the file back in a form field, which must stay under
# DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB) once base64-encoded.
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_MAX_ROWS = 2000
DEFAULT_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_COLUMNS = 100
# The widest file we write has about 25 columns; 40 leaves room for a user's own notes.
DEFAULT_CELLS_PER_ROW = 40
# Cells, shared strings and rows are a few elements each; anything else (styles, names)
# gets this many elements per allowed cell before the file counts as hostile.
ELEMENTS_PER_CELL = 6
# Rows above the header that a file may have (titles, blank lines); see reader.py.
HEADER_SLACK_ROWS = 11


def max_bytes() -> int:
    return getattr(settings, "EXCEL_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "EXCEL_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_unpacked_bytes() -> int:
    return getattr(settings, "EXCEL_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)


def max_columns() -> int:
    return getattr(settings, "EXCEL_IMPORT_MAX_COLUMNS", DEFAULT_MAX_COLUMNS)


def max_cells() -> int:
    per_row = getattr(settings, "EXCEL_IMPORT_CELLS_PER_ROW", DEFAULT_CELLS_PER_ROW)
    return (max_rows() + HEADER_SLACK_ROWS) * per_row


class WorkRefused(FileRefused):
    """Reading the file would cost more than its limit; `workload` shows how far it got."""

    def __init__(self, message: str, workload: "Workload"):
        super().__init__(message)
        self.workload = workload


@dataclass
class Workload:
    """What reading the file has cost so far, against its limits."""

    cell_limit: int = field(default_factory=max_cells)
    column_limit: int = field(default_factory=max_columns)
    unpacked_limit: int = field(default_factory=max_unpacked_bytes)
    unpacked_bytes: int = 0
    cells: int = 0
    strings: int = 0
    elements: int = 0

    def unpack(self, size: int) -> None:
        self.unpacked_bytes += size
        if self.unpacked_bytes > self.unpacked_limit:
            self._refuse(
                _(
                    "Filen packas upp till mer än %(limit)s MB och läses inte in. "
                    "Spara bara de rader och kolumner som ska importeras i en ny arbetsbok."
                )
                % {"limit": self.unpacked_limit // (1024 * 1024)}
            )

    def cell(self) -> None:
        self.cells += 1
        if self.cells > self.cell_limit:
            self._refuse(
                _(
                    "Filen har fler än %(limit)s celler och läses inte in. "
                    "Ta bort tomma eller överflödiga rader och kolumner och försök igen."
                )
                % {"limit": self.cell_limit}
            )

    def string(self) -> None:
        self.strings += 1
        if self.strings > self.cell_limit:
            self._refuse(
                _(
                    "Filens teckentabell har fler än %(limit)s texter och läses inte in. "
                    "Spara bara de rader som ska importeras i en ny arbetsbok."
                )
                % {"limit": self.cell_limit}
            )

    def element(self) -> None:
        self.elements += 1
        if self.elements > self.cell_limit * ELEMENTS_PER_CELL:
            self._refuse(_("Filen innehåller för mycket data för att läsas in."))

    def column(self, index: int, coordinate: str) -> None:
        if index > self.column_limit:
            self._refuse(
                _(
                    "Cellen %(cell)s ligger utanför de %(limit)s första kolumnerna; "
                    "så breda blad läses inte in."
                )
                % {"cell": coordinate, "limit": self.column_limit}
            )

    def _refuse(self, message: str):
        raise WorkRefused(message, self)


def _looks_like_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a parser could read the part as XML; in any encoding, so that a sheet
    cannot slip past the count by being written in UTF-16."""
    with archive.open(info) as stream:
        head = stream.read(64)
    return any(
        head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n").startswith("<")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
    )


class _PartScan:
    """Counts one XML part with expat as it streams; a handler raising stops the parse."""

    def __init__(self, workload: Workload):
        self.workload = workload
        self.column = 0
        self.cell: str | None = None  # the open cell's coordinate
        self.cell_has_content = False

    def start(self, name: str, attributes: dict) -> None:
        self.workload.element()
        local = name.rsplit("}", 1)[-1]
        if self.cell is not None:
            self.cell_has_content = True
        if local == "c":
            self.workload.cell()
            coordinate = attributes.get("r")
            self.column = _column(coordinate) if coordinate else self.column + 1
            self.cell = coordinate or f"#{self.column}"
            self.cell_has_content = False
        elif local == "si":
            self.workload.string()
        elif local == "row":
            self.column = 0

    def end(self, name: str) -> None:
        if self.cell is not None and name.rsplit("}", 1)[-1] == "c":
            # Empty styled cells far out are harmless; values there would be lost.
            if self.cell_has_content:
                self.workload.column(self.column, self.cell)
            self.cell = None

    def parse(self, stream) -> None:
        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        # Workbooks have no use for a DTD; entity tricks start there.
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.ParseFile(stream)


def _refuse_doctype(*_args) -> None:
    raise FileRefused(_("Filen går inte att läsa som en Excel-arbetsbok (.xlsx)."))


def _column(coordinate: str) -> int:
    try:
        return column_index_from_string(coordinate_from_string(coordinate)[0])
    except ValueError:
        raise FileRefused(_("Filen går inte att läsa som en Excel-arbetsbok (.xlsx).")) from None


def check_workload(content: bytes) -> Workload:
    """Refuse the workbook (WorkRefused) when reading it would cost too much.

    The unpacked size is the sum the zip declares; zipfile never unpacks a member past
    its declared size (a longer one fails its checksum), so the declared sum is a bound.
    Every part that is XML is counted, whatever its name, since the package's own
    relations decide which part openpyxl reads as a sheet.
    """
    workload = Workload()
    unreadable = _("Filen går inte att läsa som en Excel-arbetsbok (.xlsx).")
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise FileRefused(unreadable)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            for info in members:
                workload.unpack(info.file_size)
            for info in members:
                if info.is_dir() or not _looks_like_xml(archive, info):
                    continue
                with archive.open(info) as stream:
                    _PartScan(workload).parse(stream)
    except FileRefused:
        raise
    except (
        zipfile.BadZipFile,
        expat.ExpatError,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        ValueError,
    ) as exc:
        raise FileRefused(unreadable) from exc
    return workload
