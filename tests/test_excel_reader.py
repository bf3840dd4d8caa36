"""Reading uploads safely, and the cell parsers Swedish lists need."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.test import override_settings
from openpyxl import Workbook

from portfolio.excel import cells
from portfolio.excel.reader import FileRefused, check_upload, read_sheet


def _book(*sheets) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 200 000", 1_200_000),
        ("1\u00a0200\u00a0000 kr", 1_200_000),
        ("1\u202f200 000 SEK", 1_200_000),
        (1200000, 1_200_000),
        (1200000.0, 1_200_000),
        ("350000:-", 350_000),
        (None, None),
        ("  ", None),
    ],
)
def test_kronor_accepts_the_ways_swedish_lists_write_amounts(raw, expected):
    assert cells.kronor(raw) == expected


@pytest.mark.parametrize("raw", ["tolv", "1 200,50", "-5", dt.date(2026, 1, 1), True])
def test_kronor_refuses_what_is_not_whole_kronor(raw):
    with pytest.raises(cells.CellError):
        cells.kronor(raw)


def test_decimal_reads_a_decimal_comma_and_float_cells_exactly():
    assert cells.decimal("7,5") == Decimal("7.5")
    assert cells.decimal(0.1) == Decimal("0.1")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.datetime(2026, 3, 31), dt.date(2026, 3, 31)),
        (dt.date(2026, 3, 31), dt.date(2026, 3, 31)),
        ("2026-03-31", dt.date(2026, 3, 31)),
        ("20260331", dt.date(2026, 3, 31)),
        ("31.03.2026", dt.date(2026, 3, 31)),
    ],
)
def test_dates_are_read_from_date_cells_and_common_text(raw, expected):
    assert cells.date(raw) == expected


def test_a_date_that_is_not_a_date_says_how_to_write_it():
    with pytest.raises(cells.CellError, match="ÅÅÅÅ-MM-DD"):
        cells.date("2026-02-30")


def test_only_xlsx_files_within_the_size_limit_are_accepted():
    check_upload(name="lista.XLSX", size=1000)
    with pytest.raises(FileRefused, match=r"\.xlsx"):
        check_upload(name="lista.xlsm", size=1000)
    with pytest.raises(FileRefused, match=r"\.xlsx"):
        check_upload(name="lista.csv", size=1000)
    with override_settings(EXCEL_IMPORT_MAX_BYTES=10_000):
        with pytest.raises(FileRefused, match="för stor"):
            check_upload(name="lista.xlsx", size=10_001)


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(FileRefused, match="går inte att läsa"):
        read_sheet(b"Titel;Program\nEtt;Tv\xe5\n")


def test_only_the_first_sheet_is_read_unless_another_is_named():
    content = _book(("Första", [["Titel"], ["A"]]), ("Andra", [["Titel"], ["B"], ["C"]]))
    assert [r.values["Titel"] for r in read_sheet(content).rows] == ["A"]
    second = read_sheet(content, sheet_name="andra")
    assert [r.values["Titel"] for r in second.rows] == ["B", "C"]
    with pytest.raises(FileRefused, match="Bladen heter: Första, Andra"):
        read_sheet(content, sheet_name="Tredje")


def test_row_numbers_are_those_excel_shows_and_blank_rows_are_skipped():
    content = _book(("Blad", [[None], ["Titel", "Belopp"], ["A", 1], [None, None], ["B", 2]]))
    sheet = read_sheet(content)
    assert sheet.headers == ["Titel", "Belopp"]
    assert [(r.number, r.values["Titel"]) for r in sheet.rows] == [(3, "A"), (5, "B")]


def test_formulas_are_not_calculated_and_one_without_a_saved_value_is_refused():
    content = _book(("Blad", [["Titel", "Belopp"], ["A", "=1000*1000"]]))
    row = read_sheet(content).rows[0]
    assert row.values["Belopp"] is None
    assert "formel" in row.formula_errors["Belopp"]


@override_settings(EXCEL_IMPORT_MAX_ROWS=3)
def test_too_many_rows_are_refused():
    content = _book(("Blad", [["Titel"]] + [[f"R{i}"] for i in range(20)]))
    with pytest.raises(FileRefused, match="högst 3 rader"):
        read_sheet(content)


def test_an_empty_sheet_is_refused():
    with pytest.raises(FileRefused, match="tomt"):
        read_sheet(_book(("Tomt", [])))


def _with_cached_value(content: bytes, cell: str, value: str) -> bytes:
    """What Excel saves: the formula together with the value it last calculated."""
    source = zipfile.ZipFile(io.BytesIO(content))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index(f'<c r="{cell}">')
                end = text.index("</c>", start)
                text = (
                    text[:start] + text[start:end].replace("<v />", f"<v>{value}</v>") + text[end:]
                )
                data = text.encode()
            target.writestr(item, data)
    return target_buffer.getvalue()


def test_a_formula_gives_the_value_excel_saved_with_it():
    content = _with_cached_value(
        _book(("Blad", [["Titel", "Belopp"], ["A", "=1000*1000"]])), "B2", "1000000"
    )
    row = read_sheet(content).rows[0]
    assert row.values["Belopp"] == 1000000 and not row.formula_errors
