"""The programledare brings an Excel list into the portfolio: upload, preview, confirm."""

import io

import pytest
from openpyxl import Workbook

from portfolio.models import Initiative

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _workbook(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Initiativ"
    sheet.append(["Initiativnummer", "Titel", "Föreslagen av kommun", "Planerad start"])
    sheet.append([None, "Gemensam växel i Dalsland", "Åmål", "2026-03-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_programledare_uploads_previews_and_confirms_an_import(visitor, tmp_path):
    page = visitor.login("programledare")
    page.get_by_role("link", name="Digitalisering Dalsland").first.click()
    page.get_by_role("link", name="Initiativ", exact=True).first.click()
    page.get_by_role("link", name="Importera från Excel").click()
    page.wait_for_load_state()
    visitor.check("import-upload")

    page.get_by_label("Excel-fil (.xlsx)").set_input_files(str(_workbook(tmp_path / "lista.xlsx")))
    page.get_by_role("button", name="Förhandsgranska").click()
    page.wait_for_load_state()
    preview = page.locator("#import-preview")
    assert "Gemensam växel i Dalsland" in preview.inner_text()
    assert not Initiative.objects.filter(title="Gemensam växel i Dalsland").exists()
    visitor.check("import-preview", full_page=True)

    page.get_by_role("button", name="Bekräfta import").click()
    page.wait_for_load_state()
    visitor.check("import-done")
    initiative = Initiative.objects.get(title="Gemensam växel i Dalsland")
    assert initiative.proposing_municipality.name == "Åmål"
    assert initiative.portfolio.reference_prefix == "DAL"
