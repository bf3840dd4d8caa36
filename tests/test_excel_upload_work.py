"""Uploads are bounded by the work of reading them, not only by their size.

Each hostile file here is small on the wire. The assertions are on counts: the file is
refused with a Swedish message naming the limit, and the reader stopped counting at
the limit, long before the end of the file.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts.models import Role
from portfolio.bench import upload_files
from portfolio.excel.reader import FileRefused, read_sheet
from portfolio.excel.workload import WorkRefused, check_workload, max_bytes, max_cells
from tests import factories


def _refusal(content: bytes) -> WorkRefused:
    with pytest.raises(WorkRefused) as caught:
        read_sheet(content)
    return caught.value


def test_millions_of_empty_cells_stop_at_the_cell_budget():
    content = upload_files.many_empty_cells(2_000_000)
    assert len(content) < max_bytes()
    refusal = _refusal(content)
    assert f"fler än {max_cells()} celler" in str(refusal)
    # Counting stopped at the first cell past the budget, not after two million.
    assert refusal.workload.cells == max_cells() + 1


def test_a_sheet_in_utf16_is_counted_too():
    refusal = _refusal(upload_files.many_empty_cells_utf16(200_000))
    assert refusal.workload.cells == max_cells() + 1


def test_a_huge_shared_strings_table_stops_at_the_budget():
    content = upload_files.huge_shared_strings(300_000)
    refusal = _refusal(content)
    assert "teckentabell har fler än" in str(refusal)
    assert refusal.workload.strings == max_cells() + 1


def test_a_zip_bomb_is_refused_before_any_part_is_parsed():
    content = upload_files.zip_bomb(megabytes=29)
    assert len(content) < 100 * 1024
    refusal = _refusal(content)
    assert "packas upp till mer än 10 MB" in str(refusal)
    assert refusal.workload.elements == 0


@override_settings(EXCEL_IMPORT_MAX_ROWS=50)
def test_rows_past_the_limit_with_extra_columns_stop_at_the_cell_budget():
    budget = max_cells()
    refusal = _refusal(upload_files.wide_and_long(rows=60, columns=45))
    assert f"fler än {budget} celler" in str(refusal)
    assert refusal.workload.cells == budget + 1


@override_settings(EXCEL_IMPORT_MAX_ROWS=50)
def test_narrow_rows_past_the_limit_are_refused_by_the_row_limit():
    with pytest.raises(FileRefused, match="högst 50 rader"):
        read_sheet(upload_files.wide_and_long(rows=80, columns=3))


def test_a_value_far_to_the_right_is_refused_naming_the_cell():
    with pytest.raises(WorkRefused, match="XFD2 ligger utanför de 100 första kolumnerna"):
        read_sheet(upload_files.far_cells(rows=5, text="gömd"))


def test_rows_are_not_padded_to_a_far_empty_cell():
    sheet = read_sheet(upload_files.far_cells(rows=20))
    assert sheet.headers == upload_files.INITIATIVE_HEADERS and sheet.rows == []


def test_a_sheet_that_declares_entities_is_refused():
    with pytest.raises(FileRefused, match="går inte att läsa"):
        read_sheet(upload_files.with_doctype())


def test_a_normal_file_at_the_row_limit_is_well_inside_every_budget():
    content = upload_files.initiatives_file(2000)
    workload = check_workload(content)
    assert workload.cells < max_cells() / 4
    assert len(read_sheet(content).rows) == 2000


@pytest.fixture
def coordinator(db):
    portfolio = factories.portfolio()
    user = factories.user("1460", Role.COORDINATOR)
    return portfolio, user


def test_the_api_answers_a_hostile_file_with_400_and_a_field_error(client, coordinator):
    portfolio, user = coordinator
    client.force_login(user)
    response = client.post(
        f"/api/v1/portfolios/{portfolio.pk}/excel-import/initiatives/preview/",
        {"file": SimpleUploadedFile("lista.xlsx", upload_files.many_empty_cells())},
    )
    assert response.status_code == 400
    assert "celler och läses inte in" in response.json()["errors"]["file"][0]


def test_the_page_shows_a_hostile_file_as_a_form_error(client, coordinator):
    portfolio, user = coordinator
    client.force_login(user)
    response = client.post(
        reverse("portfolio:excel-import", args=[portfolio.pk]),
        {
            "kind": "initiatives",
            "file": SimpleUploadedFile("lista.xlsx", upload_files.huge_shared_strings(300_000)),
        },
    )
    assert response.status_code == 400
    assert "teckentabell har fler än" in response.content.decode()
    assert "Bekräfta import" not in response.content.decode()
