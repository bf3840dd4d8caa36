"""The kommundirektör before a board meeting: dashboard, one program, an initiative's
gate checklist, the Excel list. Once with the mouse, once with the keyboard alone."""

import io

import pytest
from openpyxl import load_workbook

from portfolio.models import Portfolio
from tests.browser.conftest import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_director_reviews_the_portfolio_and_downloads_the_list(visitor):
    page = visitor.login("kd.bengtsfors")
    visitor.check("home")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Digitalisering Dalsland"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Digitalisering Dalsland"
    assert page.get_by_role("heading", name="Beslut inför nästa möte").is_visible()
    visitor.check("dashboard")

    page.get_by_text("Filtrera översikten").click()
    page.get_by_label("Program", exact=True).select_option(label="Omvårdnad Dalsland")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_load_state()
    assert "program=" in page.url
    board = page.locator(".board")
    assert board.get_by_text("E-tjänsteplattform").is_visible()
    assert board.get_by_text("Gemensam IT-fabrik").count() == 0  # Effektiv kommun
    visitor.check("dashboard-filtered")

    page.locator(".board").get_by_role("link", name="DAL-9 Schoolsoft i 4D").click()
    assert "Schoolsoft i 4D" in page.get_by_role("heading", level=1).inner_text()
    checklist = page.locator("table.checklist")
    assert "Kriterier för G3" in checklist.locator("caption").inner_text()
    assert checklist.get_by_text("Varje deltagare har implementerat eller avstått").is_visible()
    visitor.check("initiative")

    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    visitor.goto(f"/portfoljer/{portfolio.pk}/initiativ/?stage=implementation")
    assert page.get_by_role("status").inner_text().startswith("2 initiativ")
    visitor.check("list-filtered")
    with page.expect_download() as info:
        page.get_by_role("link", name="Exportera till Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    titles = {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    assert "Schoolsoft i 4D" in titles
    assert "Informationssäkerhet (KLASSA)" in titles
    assert "Gemensam IT-fabrik" not in titles  # not in implementation: filtered out


def test_director_journey_with_the_keyboard_alone(visitor):
    page = visitor.login("kd.bengtsfors")
    portfolio = Portfolio.objects.get(reference_prefix="DAL")

    # The skip link is the first stop and moves the focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, f'nav.main-nav a[href="/portfoljer/{portfolio.pk}/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Digitalisering Dalsland"

    tab_to(page, ".filter-box summary")
    page.keyboard.press("Enter")  # opens the filters
    program = tab_to(page, "#id_program")
    program.press("ArrowDown")  # first program: Effektiv kommun
    tab_to(page, ".filters button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "program=" in page.url
    assert page.locator(".board").get_by_text("Gemensam IT-fabrik").is_visible()
    assert page.locator(".board").get_by_text("E-tjänsteplattform").count() == 0

    tab_to(page, '.board a:has-text("Gemensam systemförvaltarorganisation")')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Gemensam systemförvaltarorganisation" in page.locator("h1").inner_text()
    assert "Kriterier för G1" in page.locator("table.checklist caption").inner_text()
    # Focus is visible where the keyboard is.
    tab_to(page, "a")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    visitor.check("initiative-keyboard")
