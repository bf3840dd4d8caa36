"""The Excel pages: export with filters and visibility, template, upload, preview, confirm."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from portfolio.models import HistoryEntry, Initiative
from portfolio.services.initiatives import initiative_create
from tests import factories

pytestmark = pytest.mark.django_db


def xlsx(rows, headers=("Initiativnummer", "Titel", "Föreslagen av kommun", "Planerad start")):
    workbook = Workbook()
    workbook.active.title = "Initiativ"
    workbook.active.append(list(headers))
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def setup(db):
    portfolio = factories.portfolio()
    coordinator = factories.user("1460", Role.COORDINATOR)
    return portfolio, coordinator


def test_export_has_swedish_headings_real_types_and_the_filters(client, setup):
    portfolio, coordinator = setup
    first = initiative_create(
        actor=coordinator,
        portfolio=portfolio,
        title="E-arkiv",
        planned_start=dt.date(2026, 2, 1),
        area="insida",
        collaboration_level=3,
    )
    initiative_create(actor=coordinator, portfolio=portfolio, title="Växel", area="utsida")
    client.force_login(coordinator)

    response = client.get(
        reverse("portfolio:initiative-export-xlsx", args=[portfolio.pk]), {"area": "insida"}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Initiativ", "Urval"]
    sheet = workbook["Initiativ"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Initiativnummer", "Titel", "Program"]
    assert "Utveckling, utfall (kr)" in headers and "Planerad start" in headers
    assert sheet.max_row == 2
    row = {h: c for h, c in zip(headers, sheet[2], strict=True)}
    assert row["Initiativnummer"].value == first.reference
    assert row["Område"].value == "Insida"
    assert row["Samverkansnivå (1–5)"].value == 3
    assert isinstance(row["Planerad start"].value, dt.datetime)
    assert row["Planerad start"].value.date() == dt.date(2026, 2, 1)
    assert row["Utveckling, utfall (kr)"].value == 0
    assert row["Utveckling, utfall (kr)"].number_format == '#,##0 "kr"'
    assert row["Inlämnad"].is_date
    filters = {r[0].value: r[1].value for r in workbook["Urval"].iter_rows(min_row=2)}
    assert filters == {"Portfölj": portfolio.name, "Område": "Insida"}


def test_export_counts_queries_independently_of_rows(client, setup, django_assert_max_num_queries):
    portfolio, coordinator = setup
    for n in range(15):
        initiative_create(actor=coordinator, portfolio=portfolio, title=f"Initiativ {n}")
    client.force_login(coordinator)
    url = reverse("portfolio:initiative-export-xlsx", args=[portfolio.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_export_of_a_portfolio_you_cannot_see_is_not_found(client, setup):
    portfolio, _coordinator = setup
    client.force_login(factories.user("1495", Role.COORDINATOR))  # Skara
    for name in ("portfolio:initiative-export-xlsx", "portfolio:entries-export-xlsx"):
        assert client.get(reverse(name, args=[portfolio.pk])).status_code == 404
    assert client.get(reverse("portfolio:excel-import", args=[portfolio.pk])).status_code == 404


def test_templates_download_with_the_import_headings(client, setup):
    portfolio, coordinator = setup
    client.force_login(coordinator)
    response = client.get(reverse("portfolio:excel-template", args=[portfolio.pk, "initiativ"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Initiativ"
    headers = [c.value for c in workbook["Initiativ"][1]]
    assert headers[:2] == ["Initiativnummer", "Titel"] and "Steg" not in headers
    response = client.get(
        reverse("portfolio:excel-template", args=[portfolio.pk, "kostnader-och-tid"])
    )
    assert load_workbook(io.BytesIO(response.content)).sheetnames[:2] == [
        "Kostnader",
        "Tidsinsatser",
    ]


def test_upload_preview_and_confirm(client, setup):
    portfolio, coordinator = setup
    client.force_login(coordinator)
    url = reverse("portfolio:excel-import", args=[portfolio.pk])
    page = client.get(url)
    assert "Förhandsgranska" in page.content.decode()
    assert 'for="id_file"' in page.content.decode()

    content = xlsx([[None, "Gemensam växel", "Åmål", "2026-03-01"]])
    response = client.post(url, {"kind": "initiatives", "file": upload("lista.xlsx", content)})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-preview"' in html and "Gemensam växel" in html and "Skapas" in html
    assert "Bekräfta import" in html
    assert Initiative.objects.count() == 0
    token = response.context["token"]

    confirmed = client.post(
        reverse("portfolio:excel-import-confirm", args=[portfolio.pk]),
        {"kind": "initiatives", "token": token},
    )
    assert confirmed.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.title == "Gemensam växel"
    assert initiative.planned_start == dt.date(2026, 3, 1)


def test_a_bad_file_shows_errors_offers_no_confirmation_and_writes_nothing(client, setup):
    portfolio, coordinator = setup
    client.force_login(coordinator)
    content = xlsx([[None, "", "Gotham", "snart"]])
    response = client.post(
        reverse("portfolio:excel-import", args=[portfolio.pk]),
        {"kind": "initiatives", "file": upload("lista.xlsx", content)},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Titel saknas." in html and "Kommunen ”Gotham” finns inte" in html
    assert "”snart” är inte ett datum" in html
    assert "Bekräfta import" not in html
    assert Initiative.objects.count() == 0


def test_a_file_that_is_not_xlsx_is_refused_with_a_form_error(client, setup):
    portfolio, coordinator = setup
    client.force_login(coordinator)
    response = client.post(
        reverse("portfolio:excel-import", args=[portfolio.pk]),
        {"kind": "initiatives", "file": upload("lista.csv", b"Titel\nEtt\n")},
    )
    assert response.status_code == 400
    assert "Excel-arbetsbok (.xlsx)" in response.content.decode()


def test_a_token_cannot_be_altered_or_used_by_someone_else(client, setup):
    portfolio, coordinator = setup
    client.force_login(coordinator)
    response = client.post(
        reverse("portfolio:excel-import", args=[portfolio.pk]),
        {"kind": "initiatives", "file": upload("a.xlsx", xlsx([[None, "Ett", "Åmål", None]]))},
    )
    token = response.context["token"]
    confirm = reverse("portfolio:excel-import-confirm", args=[portfolio.pk])

    altered = client.post(confirm, {"kind": "initiatives", "token": token[:-3] + "abc"})
    assert altered.status_code == 400 and "Ladda upp filen igen" in altered.content.decode()

    client.force_login(factories.user("1460", Role.COORDINATOR))
    other = client.post(confirm, {"kind": "initiatives", "token": token})
    assert other.status_code == 400
    assert Initiative.objects.count() == 0


def test_confirming_a_file_that_became_invalid_writes_nothing(client, setup):
    portfolio, coordinator = setup
    program = factories.program(portfolio)
    client.force_login(coordinator)
    existing = initiative_create(actor=coordinator, portfolio=portfolio, title="Ett")
    headers = ("Initiativnummer", "Titel", "Program")
    rows = [[existing.reference, "Ett nytt namn", None], [None, "Två", program.name]]
    response = client.post(
        reverse("portfolio:excel-import", args=[portfolio.pk]),
        {"kind": "initiatives", "file": upload("a.xlsx", xlsx(rows, headers))},
    )
    token = response.context["token"]
    # Meanwhile the program is renamed: the confirmation checks the file again.
    program.name = "Ett annat namn"
    program.save()
    history = HistoryEntry.objects.count()
    confirmed = client.post(
        reverse("portfolio:excel-import-confirm", args=[portfolio.pk]),
        {"kind": "initiatives", "token": token},
    )
    assert confirmed.status_code == 400
    assert "finns inte i portföljen" in confirmed.content.decode()
    assert list(Initiative.objects.values_list("title", flat=True)) == ["Ett"]
    assert HistoryEntry.objects.count() == history


def test_readers_cannot_reach_the_import(client, setup):
    portfolio, _coordinator = setup
    client.force_login(factories.user("1460", Role.READER))
    assert client.get(reverse("portfolio:excel-import", args=[portfolio.pk])).status_code == 403
