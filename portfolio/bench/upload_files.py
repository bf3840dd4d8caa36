"""Workbooks for the upload figure and the upload tests: a normal import file and
hostile ones that are small on the wire but costly to read.

A hostile file starts as a real workbook (so openpyxl opens it) whose sheet or shared
strings part is then replaced by hand-written XML.
"""

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
CONTENT_TYPES = "[Content_Types].xml"
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
INITIATIVE_HEADERS = ["Titel", "Område", "Planerad start", "Behov eller problem"]


def workbook(rows, title: str = "Initiativ") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def initiatives_file(count: int, prefix: str = "Importerat") -> bytes:
    """A normal import of `count` new initiatives."""
    rows = [INITIATIVE_HEADERS]
    rows += [
        [f"{prefix} {n}", "", "2026-01-01", f"Behov nummer {n} beskrivet i en mening."]
        for n in range(1, count + 1)
    ]
    return workbook(rows)


def _replace(content: bytes, parts: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename in parts:
                continue
            target.writestr(info, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()


def _sheet_xml(rows_xml: str, dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{_SHEET_HEAD}{dim}<sheetData>{rows_xml}</sheetData></worksheet>".encode()


def _header_row() -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(INITIATIVE_HEADERS)
    )
    return f'<row r="1">{cells}</row>'


def many_empty_cells(cells: int = 2_000_000) -> bytes:
    """A heading and then row 2 with `cells` empty cells: a few kB packed, MBs unpacked."""
    body = '<row r="2">' + "<c/>" * cells + "</row>"
    return _replace(workbook([["x"]]), {SHEET: _sheet_xml(_header_row() + body)})


def far_cells(rows: int = 2000, *, text: str = "") -> bytes:
    """Each row holds one cell in the sheet's last column (XFD), empty unless `text` is
    given, and the sheet declares no dimension: a reader that pads rows to their last
    cell builds 16 384 values per row."""
    cell = (
        f'<c r="XFD{{n}}" t="inlineStr"><is><t>{text}</t></is></c>' if text else '<c r="XFD{n}"/>'
    )
    body = "".join(f'<row r="{n}">{cell.format(n=n)}</row>' for n in range(2, rows + 2))
    return _replace(workbook([["x"]]), {SHEET: _sheet_xml(_header_row() + body)})


def huge_dimension() -> bytes:
    """A heading and one row, but the sheet says it spans A1:XFD1048576."""
    body = '<row r="2"><c r="A2" t="inlineStr"><is><t>Ett</t></is></c></row>'
    return _replace(workbook([["x"]]), {SHEET: _sheet_xml(_header_row() + body, "A1:XFD1048576")})


def huge_shared_strings(strings: int = 2_000_000) -> bytes:
    """A shared strings table of `strings` empty entries, all loaded when the file opens."""
    content = workbook([["Titel"], ["Ett"]])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        types = archive.read(CONTENT_TYPES).decode()
    override = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    table = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{strings}" uniqueCount="{strings}">' + "<si><t/></si>" * strings + "</sst>"
    ).encode()
    return _replace(
        content,
        {
            CONTENT_TYPES: types.replace("</Types>", override + "</Types>").encode(),
            SHARED_STRINGS: table,
        },
    )


def zip_bomb(megabytes: int = 29) -> bytes:
    """One extra part of zeros that packs about 1000:1, next to a normal sheet."""
    return _replace(initiatives_file(2), {"xl/media/filler.bin": b"\0" * (megabytes * 1024 * 1024)})


def wide_and_long(rows: int, columns: int) -> bytes:
    """`rows` rows of `columns` filled cells under a heading."""
    return workbook(
        [["Titel", *[f"Extra {c}" for c in range(1, columns)]]]
        + [[f"Rad {r}", *range(1, columns)] for r in range(1, rows + 1)]
    )


def with_doctype() -> bytes:
    """A sheet that declares entities: workbooks never need a DTD."""
    head = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    xml = _sheet_xml(_header_row()).decode().replace("<worksheet", head + "<worksheet", 1)
    return _replace(workbook([["x"]]), {SHEET: xml.encode()})


def many_empty_cells_utf16(cells: int = 200_000) -> bytes:
    """many_empty_cells with the sheet written in UTF-16."""
    body = '<row r="2">' + "<c/>" * cells + "</row>"
    xml = _sheet_xml(_header_row() + body).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return _replace(workbook([["x"]]), {SHEET: xml.encode("utf-16")})
