"""The generic workbook writer: real numbers, real dates, Swedish headings."""

import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction

from openpyxl import load_workbook

from portfolio.excel.writer import Column, Kind, workbook_bytes, workbook_response

COLUMNS = [
    Column("Titel", Kind.TEXT),
    Column("Antal", Kind.INT),
    Column("Belopp (kr)", Kind.KRONOR),
    Column("Datum", Kind.DATE),
    Column("Timmar", Kind.DECIMAL),
    Column("Andel", Kind.PERCENT),
]


def _sheet(content: bytes, index: int = 0):
    return load_workbook(io.BytesIO(content)).worksheets[index]


def test_values_are_written_with_their_real_types_and_formats():
    content = workbook_bytes(
        sheet_title="Data",
        columns=COLUMNS,
        rows=[
            [
                "Gemensam e-tjänst",
                3,
                1_999_899,
                dt.date(2026, 3, 31),
                Decimal("7.50"),
                Fraction(1, 4),
            ]
        ],
    )
    sheet = _sheet(content)
    assert [c.value for c in sheet[1]] == [
        "Titel",
        "Antal",
        "Belopp (kr)",
        "Datum",
        "Timmar",
        "Andel",
    ]
    title, count, amount, day, hours, share = sheet[2]
    assert title.value == "Gemensam e-tjänst"
    assert count.value == 3 and isinstance(count.value, int)
    assert amount.value == 1_999_899 and isinstance(amount.value, int)
    assert amount.number_format == '#,##0 "kr"'
    assert isinstance(day.value, dt.datetime) and day.value.date() == dt.date(2026, 3, 31)
    assert day.number_format == "yyyy-mm-dd"
    assert hours.value == 7.5 and hours.data_type == "n"
    assert share.value == 0.25 and share.number_format == "0.0%"
    assert sheet.freeze_panes == "A2"


def test_empty_values_stay_empty_cells_not_zero_or_text():
    content = workbook_bytes(
        sheet_title="Data", columns=COLUMNS, rows=[["x", None, "", None, None, None]]
    )
    assert [c.value for c in _sheet(content)[2]] == ["x", None, None, None, None, None]


def test_filters_go_on_their_own_sheet_after_the_data():
    content = workbook_bytes(
        sheet_title="Initiativ",
        columns=COLUMNS[:1],
        rows=[["a"]],
        filters_description={"Portfölj": "Dalsland", "Steg": "Idé, Förstudie"},
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Initiativ", "Urval"]
    rows = [[c.value for c in row] for row in workbook["Urval"].iter_rows()]
    assert rows == [["Urval", "Värde"], ["Portfölj", "Dalsland"], ["Steg", "Idé, Förstudie"]]


def test_response_is_an_xlsx_attachment():
    response = workbook_response(
        filename="initiativ-åmål.xlsx", sheet_title="Data", columns=COLUMNS[:1], rows=[]
    )
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert _sheet(response.content)["A1"].value == "Titel"


def test_control_characters_that_xlsx_cannot_hold_are_left_out():
    # Text saved through the API may hold them; the export must still be written (not a 500).
    content = workbook_bytes(
        sheet_title="Data",
        columns=[Column("Titel")],
        rows=[["Före\x00\x0b\x1fefter\tflik"]],
    )
    assert _sheet(content)["A2"].value == "Föreefter\tflik"
