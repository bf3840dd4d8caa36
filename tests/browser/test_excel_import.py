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


def test_the_portfolio_office_fills_in_the_portfolio_template_and_confirms_it(visitor, tmp_path):
    from openpyxl import load_workbook

    from portfolio.models import GateDecision

    page = visitor.login("samordnare")
    page.get_by_role("link", name="Digitalisering Dalsland").first.click()
    page.get_by_role("link", name="Initiativ", exact=True).first.click()
    page.get_by_role("link", name="Importera från Excel").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="Mall för hela portföljen (.xlsx)").click()
    template = tmp_path / "mall.xlsx"
    download.value.save_as(template)

    workbook = load_workbook(template)
    initiatives = workbook["Initiativ"]
    headers = [cell.value for cell in initiatives[1]]
    row = dict.fromkeys(headers)
    row.update(
        {
            "Initiativnummer": "GML-7",
            "Titel": "E-arkiv från förr",
            "Föreslagen av kommun": "Åmål",
            "Inlämnad": "2024-02-01",
            "Steg": "Förstudie",
        }
    )
    initiatives.append([row[h] for h in headers])
    decisions = workbook["Beslut"]
    headers = [cell.value for cell in decisions[1]]
    row = dict.fromkeys(headers)
    row.update(
        {
            "Initiativnummer": "GML-7",
            "Beslut": "G0",
            "Utfall": "Godkänd",
            "Beslutsdatum": "2024-03-12",
            "Protokoll §": "§ 7",
        }
    )
    decisions.append([row[h] for h in headers])
    filled = tmp_path / "portfolj.xlsx"
    workbook.save(filled)

    page.get_by_label("Vad vill du importera?").select_option("portfolio")
    page.get_by_label("Excel-fil (.xlsx)").set_input_files(str(filled))
    page.get_by_role("button", name="Förhandsgranska").click()
    page.wait_for_load_state()
    assert "E-arkiv från förr" in page.locator("#import-preview-1").inner_text()
    assert "§ 7" in page.locator("#import-preview-3").inner_text()
    assert not Initiative.objects.filter(title="E-arkiv från förr").exists()
    visitor.check("portfolio-import-preview", full_page=True)

    page.get_by_role("button", name="Bekräfta import").click()
    page.wait_for_load_state()
    initiative = Initiative.objects.get(title="E-arkiv från förr")
    assert initiative.stage == "forstudie" and initiative.imported_reference == "GML-7"
    assert GateDecision.objects.get(initiative=initiative).imported
