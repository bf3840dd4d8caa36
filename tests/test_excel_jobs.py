"""Large Excel exports run as report jobs: filtered rows with real types, access, idempotence,
failure."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from portfolio.services.costs import cost_entry_create, time_entry_create
from portfolio.services.initiatives import initiative_create
from portfolio.services.participation import participation_answer, participation_invite
from reports import services, tasks
from reports.models import ReportJob, ReportKind, ReportStatus
from tests import factories

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media_and_small_limit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Three initiatives are a "large" list here; the default is 2000 rows.
    settings.EXCEL_SYNC_EXPORT_MAX_ROWS = 2


@pytest.fixture
def setup(db):
    portfolio = factories.portfolio()
    coordinator = factories.user("1460", Role.COORDINATOR)
    inside = [
        initiative_create(
            actor=coordinator,
            portfolio=portfolio,
            title=f"Insida {n}",
            area="insida",
            planned_start=dt.date(2026, 2, n),
            collaboration_level=3,
        )
        for n in (1, 2, 3)
    ]
    initiative_create(actor=coordinator, portfolio=portfolio, title="Växel", area="utsida")
    cost_entry_create(
        actor=coordinator,
        initiative=inside[0],
        kind="utveckling",
        nature="estimat",
        period=dt.date(2026, 3, 31),
        amount=1_250_000,
    )
    return portfolio, coordinator, inside


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


def export(client, portfolio, capture, query, route="portfolio:initiative-export-xlsx"):
    with capture(execute=True):
        return client.get(reverse(route, args=[portfolio.pk]), query)


def workbook_of(response):
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_large_export_becomes_a_job_and_the_file_has_the_filtered_rows(
    client, setup, django_capture_on_commit_callbacks
):
    portfolio, coordinator, inside = setup
    client.force_login(coordinator)
    response = export(
        client, portfolio, django_capture_on_commit_callbacks, {"area": "insida", "sortera": "x"}
    )

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:job", args=[job.pk])
    assert job.kind == ReportKind.INITIATIVES_XLSX
    assert job.parameters == {"filters": "area=insida"}
    assert job.status == ReportStatus.DONE and job.file_path == f"reports/{job.pk}-1.xlsx"
    page = client.get(response.url).content.decode()
    assert "skapas i bakgrunden" in page and "Dokumentet är klart" in page
    filename = f"initiativ-{portfolio.reference_prefix.lower()}-{job.pk}.xlsx"
    assert f"Hämta {filename}" in page

    download = client.get(reverse("reports:download", args=[job.pk]))
    assert f'filename="{filename}"' in download["Content-Disposition"]
    workbook = workbook_of(download)
    assert workbook.sheetnames == ["Initiativ", "Urval"]
    sheet = workbook["Initiativ"]
    headers = [c.value for c in sheet[1]]
    rows = [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [r["Initiativnummer"].value for r in rows] == [i.reference for i in inside]
    first = rows[0]
    assert first["Utveckling, estimat (kr)"].value == 1_250_000
    assert first["Utveckling, estimat (kr)"].number_format == '#,##0 "kr"'
    assert first["Samverkansnivå (1–5)"].value == 3
    assert first["Planerad start"].value == dt.datetime(2026, 2, 1)
    filters = {r[0].value: r[1].value for r in workbook["Urval"].iter_rows(min_row=2)}
    assert filters == {"Portfölj": portfolio.name, "Område": "Insida"}


def test_a_small_export_is_still_downloaded_at_once(
    client, setup, settings, django_capture_on_commit_callbacks
):
    portfolio, coordinator, _inside = setup
    settings.EXCEL_SYNC_EXPORT_MAX_ROWS = 3
    client.force_login(coordinator)
    response = export(client, portfolio, django_capture_on_commit_callbacks, {"area": "insida"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert ReportJob.objects.count() == 0


def test_costs_and_hours_export_becomes_a_job(
    client, setup, settings, django_capture_on_commit_callbacks
):
    portfolio, coordinator, inside = setup
    settings.EXCEL_SYNC_EXPORT_MAX_ROWS = 1  # one cost and one time entry: two rows
    _participate(coordinator, inside[1], "1460")
    time_entry_create(
        actor=coordinator,
        initiative=inside[1],
        municipality=factories.municipality("1460"),
        period=dt.date(2026, 4, 30),
        hours=Decimal("7.5"),
    )
    client.force_login(coordinator)
    response = export(
        client,
        portfolio,
        django_capture_on_commit_callbacks,
        {"area": "insida"},
        route="portfolio:entries-export-xlsx",
    )
    job = ReportJob.objects.get(kind=ReportKind.ENTRIES_XLSX)
    assert response.url == reverse("reports:job", args=[job.pk])
    workbook = workbook_of(client.get(reverse("reports:download", args=[job.pk])))
    assert workbook.sheetnames == ["Kostnader", "Tidsinsatser", "Urval"]
    cost = list(workbook["Kostnader"].iter_rows(min_row=2, values_only=True))
    assert cost == [
        (
            inside[0].reference,
            inside[0].title,
            "Förstudie och utveckling",
            "Estimat",
            dt.datetime(2026, 3, 31),
            1_250_000,
            None,
            None,
        )
    ]
    hours = list(workbook["Tidsinsatser"].iter_rows(min_row=2, values_only=True))
    assert hours == [
        (inside[1].reference, inside[1].title, "Bengtsfors", dt.datetime(2026, 4, 30), 7.5, None)
        + (None,)
    ]


def test_outsiders_and_colleagues_get_404_for_the_job_and_its_file(
    client, setup, django_capture_on_commit_callbacks
):
    portfolio, coordinator, _inside = setup
    client.force_login(coordinator)
    export(client, portfolio, django_capture_on_commit_callbacks, {})
    job = ReportJob.objects.get()
    # Skara is outside the constellation; Åmål is inside, but the export is personal.
    for code in ("1495", "1492"):
        client.force_login(factories.user(code, Role.COORDINATOR))
        assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
        assert client.get(f"/api/v1/reports/{job.pk}/").status_code == 404
        assert client.get(f"/api/v1/reports/{job.pk}/download/").status_code == 404
    answer = client.post(
        "/api/v1/reports/",
        {"kind": "initiatives_xlsx", "portfolio": portfolio.pk},
        content_type="application/json",
    )
    assert answer.status_code == 202  # Åmål sees the portfolio and may export it
    client.force_login(factories.user("1495", Role.COORDINATOR))
    answer = client.post(
        "/api/v1/reports/",
        {"kind": "initiatives_xlsx", "portfolio": portfolio.pk},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert ReportJob.objects.count() == 2


def test_api_creates_an_excel_job_with_filters(client, setup, django_capture_on_commit_callbacks):
    portfolio, coordinator, inside = setup
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/reports/",
            {"kind": "initiatives_xlsx", "portfolio": portfolio.pk, "filters": "area=utsida"},
            content_type="application/json",
        )
    assert answer.status_code == 202
    status = client.get(f"/api/v1/reports/{answer.json()['id']}/").json()
    assert status["status"] == "done" and status["filename"].endswith(".xlsx")
    workbook = workbook_of(client.get(status["download_url"]))
    titles = [row[1] for row in workbook["Initiativ"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Växel"]

    bad = client.post(
        "/api/v1/reports/",
        {"kind": "entries_xlsx", "portfolio": portfolio.pk, "filters": "collaboration_level=9"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "filters" in bad.json()["errors"]
    assert "Samverkansnivå" in bad.json()["errors"]["filters"][0]
    assert ReportJob.objects.count() == 1


def test_a_second_click_follows_the_job_under_way(client, setup):
    portfolio, coordinator, _inside = setup
    client.force_login(coordinator)
    url = reverse("portfolio:initiative-export-xlsx", args=[portfolio.pk])
    first = client.get(url, {"area": "insida"})
    second = client.get(url, {"area": "insida"})
    assert first.url == second.url
    assert ReportJob.objects.get().status == ReportStatus.QUEUED


def test_running_the_job_twice_yields_one_file(setup, settings):
    portfolio, coordinator, _inside = setup
    job, _ = services.report_job_request(
        user=coordinator, kind=ReportKind.ENTRIES_XLSX, portfolio_id=portfolio.pk
    )
    tasks.report_job_render(job.pk)
    tasks.report_job_render(job.pk)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE and job.attempts == 1
    assert default_storage.listdir("reports")[1] == [f"{job.pk}-1.xlsx"]


def test_a_render_failure_leaves_the_job_failed_with_a_reason(
    client, setup, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.spreadsheets.initiatives_workbook_bytes", broken)
    portfolio, coordinator, _inside = setup
    client.force_login(coordinator)
    response = export(client, portfolio, django_capture_on_commit_callbacks, {})
    job = ReportJob.objects.get()
    assert job.status == ReportStatus.FAILED and job.file_path == ""
    assert "Dokumentet kunde inte skapas (RuntimeError)" in job.failure_reason
    page = client.get(response.url).content.decode()
    assert "Misslyckades" in page and "RuntimeError" in page
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_a_requester_who_lost_the_portfolio_gets_no_file(setup):
    portfolio, coordinator, _inside = setup
    job, _ = services.report_job_request(
        user=coordinator, kind=ReportKind.INITIATIVES_XLSX, portfolio_id=portfolio.pk
    )
    coordinator.municipality = factories.municipality("1495")
    coordinator.save(update_fields=["municipality"])
    tasks.report_job_render(job.pk)
    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED
    assert "ser inte längre portföljen" in job.failure_reason
    assert not job.file_path
