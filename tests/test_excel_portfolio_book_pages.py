"""The portfolio workbook through the import page and the API, for every role."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from portfolio.excel.book_import import portfolio_import
from portfolio.models import GateDecision, Initiative
from tests import factories
from tests.test_excel_portfolio_book import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    portfolio = factories.portfolio()
    coordinator = factories.user("1460", Role.COORDINATOR)
    program = factories.program(portfolio)
    program.name = "Effektiv kommun"
    program.save()
    return portfolio, coordinator


def upload(content: bytes):
    return SimpleUploadedFile("portfolj.xlsx", content)


def test_the_portfolio_office_previews_every_sheet_and_confirms_on_the_page(client, setup):
    portfolio, coordinator = setup
    client.force_login(coordinator)
    url = reverse("portfolio:excel-import", args=[portfolio.pk])
    page = client.get(url).content.decode()
    assert "Mall för hela portföljen (.xlsx)" in page
    assert 'value="portfolio"' in page

    response = client.post(url, {"kind": "portfolio", "file": upload(book())})
    html = response.content.decode()
    assert response.status_code == 200, html
    for number, sheet in enumerate(
        ["Initiativ", "Deltagande", "Beslut", "Statusrapporter", "Kostnader", "Tidsinsatser"],
        start=1,
    ):
        assert f'id="import-preview-{number}"' in html
        assert f"Bladet ”{sheet}”" in html
    assert "Bekräfta import" in html and Initiative.objects.count() == 0

    confirmed = client.post(
        reverse("portfolio:excel-import-confirm", args=[portfolio.pk]),
        {"kind": "portfolio", "token": response.context["token"]},
    )
    assert confirmed.status_code == 302
    assert Initiative.objects.filter(portfolio=portfolio).count() == 3
    assert GateDecision.objects.filter(imported=True).count() == 3


def test_a_workbook_with_errors_is_shown_with_them_and_offers_no_confirmation(client, setup):
    portfolio, coordinator = setup
    client.force_login(coordinator)
    wrong = [[f"{portfolio.reference_prefix}-999", "Fel nummer", "", "Åmål"] + [None] * 5]
    response = client.post(
        reverse("portfolio:excel-import", args=[portfolio.pk]),
        {"kind": "portfolio", "file": upload(book(initiatives=wrong))},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f"Initiativnumret {portfolio.reference_prefix}-999 finns inte i portföljen" in html
    assert "Bekräfta import" not in html


@pytest.mark.parametrize(
    "roles", [(Role.PROGRAM_MANAGER,), (Role.IT_MANAGER,), (Role.DIRECTOR,), (Role.READER,)]
)
def test_other_roles_are_not_offered_the_portfolio_import_nor_let_through(client, setup, roles):
    portfolio, _coordinator = setup
    client.force_login(factories.user("1460", *roles))
    page = client.get(reverse("portfolio:excel-import", args=[portfolio.pk]))
    assert page.status_code in (200, 403)
    assert 'value="portfolio"' not in page.content.decode()
    posted = client.post(
        reverse("portfolio:excel-import", args=[portfolio.pk]),
        {"kind": "portfolio", "file": upload(book())},
    )
    assert posted.status_code in (400, 403)
    api = client.post(
        f"/api/v1/portfolios/{portfolio.pk}/excel-import/portfolio/preview/",
        {"file": upload(book())},
    )
    assert api.status_code == 403
    assert Initiative.objects.count() == 0


def test_the_api_previews_per_sheet_and_confirms_all_or_nothing(client, setup):
    portfolio, coordinator = setup
    client.force_login(coordinator)
    base = f"/api/v1/portfolios/{portfolio.pk}/excel-import/portfolio/"
    preview = client.post(base + "preview/", {"file": upload(book())})
    assert preview.status_code == 200
    body = preview.json()
    assert body["valid"] and body["counts"]["create"] == 15
    assert [sheet["sheet"] for sheet in body["sheets"]][:3] == [
        "Initiativ",
        "Deltagande",
        "Beslut",
    ]
    assert body["sheets"][2]["rows"][0]["action"] == "create"
    confirmed = client.post(
        base + "confirm/", {"token": body["token"]}, content_type="application/json"
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["created"] == 15

    again = client.post(base + "preview/", {"file": upload(book())}).json()
    assert again["counts"]["create"] == 0 and again["counts"]["update"] == 0


def test_the_api_names_sheet_and_row_of_each_error(client, setup):
    portfolio, coordinator = setup
    client.force_login(coordinator)
    bad = [["GML-1", "G3", "Godkänd", None, "2023-05-01", None, None, None]]
    body = client.post(
        f"/api/v1/portfolios/{portfolio.pk}/excel-import/portfolio/preview/",
        {"file": upload(book(decisions=bad))},
    ).json()
    assert not body["valid"] and "token" not in body
    decisions = body["sheets"][2]
    [row] = decisions["rows"]
    assert row["sheet"] == "Beslut" and row["action"] == "error"
    assert "nästa grind är G0" in " ".join(row["errors"]["Beslut"])


def test_the_export_and_the_template_for_who_sees_the_portfolio(client, setup):
    portfolio, coordinator = setup
    portfolio_import(actor=coordinator, portfolio=portfolio, content=book())
    reader = factories.user("1460", Role.READER)
    client.force_login(reader)
    for url in (
        reverse("portfolio:portfolio-export-xlsx", args=[portfolio.pk]),
        f"/api/v1/portfolios/{portfolio.pk}/excel-export/portfolio/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames[:3] == ["Initiativ", "Deltagande", "Beslut"]
        assert workbook["Beslut"].max_row == 4
    template = client.get(reverse("portfolio:excel-template", args=[portfolio.pk, "portfolj"]))
    assert template.status_code == 200
    sheets = load_workbook(io.BytesIO(template.content))
    assert all(sheet.max_row == 1 for sheet in sheets.worksheets)

    client.force_login(factories.user("1495", Role.COORDINATOR))  # Skara: cannot see it
    assert (
        client.get(reverse("portfolio:portfolio-export-xlsx", args=[portfolio.pk])).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/portfolios/{portfolio.pk}/excel-export/portfolio/").status_code == 404
    )
    client.logout()
    assert (
        client.get(reverse("portfolio:portfolio-export-xlsx", args=[portfolio.pk])).status_code
        == 302
    )


def test_imported_decisions_are_marked_as_such_on_the_page_and_in_the_api(client, setup):
    portfolio, coordinator = setup
    portfolio_import(actor=coordinator, portfolio=portfolio, content=book())
    initiative = Initiative.objects.get(imported_reference="GML-1")
    client.force_login(factories.user("1460", Role.READER))
    page = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    assert page.content.decode().count("Importerat från portföljens tidigare underlag") == 2
    decisions = client.get(f"/api/v1/initiatives/{initiative.pk}/decisions/").json()
    rows = decisions["results"] if isinstance(decisions, dict) else decisions
    assert [d["imported"] for d in rows] == [True, True]


def test_a_large_workbook_is_imported_by_a_job_with_its_progress_shown(
    client, setup, django_capture_on_commit_callbacks
):
    from django.test import override_settings

    portfolio, coordinator = setup
    client.force_login(coordinator)
    base = f"/api/v1/portfolios/{portfolio.pk}/excel-import/portfolio/"
    with override_settings(EXCEL_IMPORT_SYNC_MAX_ROWS=5):
        token = client.post(base + "preview/", {"file": upload(book())}).json()["token"]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(
                base + "confirm/", {"token": token}, content_type="application/json"
            )
    assert response.status_code == 202
    assert response.json()["rows"] == 15 and Initiative.objects.count() == 0
    for callback in callbacks:
        callback()
    job = client.get(response.json()["location"]).json()
    assert job["status"] == "done" and job["created"] == 15
    assert GateDecision.objects.filter(imported=True).count() == 3
    page = client.get(
        reverse("portfolio:excel-import-job", args=[portfolio.pk, job["id"]])
    ).content.decode()
    assert "Hela portföljen med historik" in page


def _workbook_of(n: int) -> bytes:
    from tests.test_excel_portfolio_book import (
        COSTS,
        DECISIONS,
        INITIATIVES,
        PARTICIPATION,
        STATUS,
        TIME,
    )

    def copies(rows):
        return [[f"{row[0]}-{i}", *row[1:]] for i in range(n) for row in rows]

    return book(
        copies(INITIATIVES),
        copies(PARTICIPATION),
        copies(DECISIONS),
        copies(STATUS),
        copies(COSTS),
        copies(TIME),
    )


def test_preview_and_export_take_as_many_queries_for_many_initiatives(setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portfolio.excel.book_export import portfolio_workbook_bytes
    from portfolio.excel.book_preview import portfolio_preview

    first, coordinator = setup
    counts = []
    for n in (1, 4):
        # A fresh portfolio each time, so that the two differ only in their size.
        portfolio = factories.portfolio(group=first.constellation)
        program = factories.program(portfolio)
        program.name = "Effektiv kommun"
        program.save()
        content = _workbook_of(n)
        coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # no cached roles
        with CaptureQueriesContext(connection) as before:
            portfolio_preview(actor=coordinator, portfolio=portfolio, content=content)
        portfolio_import(actor=coordinator, portfolio=portfolio, content=content)
        with CaptureQueriesContext(connection) as again:
            portfolio_preview(actor=coordinator, portfolio=portfolio, content=content)
        with CaptureQueriesContext(connection) as export:
            portfolio_workbook_bytes(Initiative.objects.filter(portfolio=portfolio))
        counts.append((len(before), len(again), len(export)))
    assert counts[0] == counts[1], counts
