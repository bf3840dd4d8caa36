"""The Excel import API: preview with a token, confirm all or nothing, refusals."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.models import Role
from portfolio.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db


def xlsx(rows, headers=("Initiativnummer", "Titel", "Föreslagen av kommun")):
    workbook = Workbook()
    workbook.active.append(list(headers))
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("lista.xlsx", buffer.getvalue())


@pytest.fixture
def setup(client):
    portfolio = factories.portfolio()
    coordinator = factories.user("1460", Role.COORDINATOR)
    client.force_login(coordinator)
    return portfolio, coordinator


def url(portfolio, kind, step):
    return f"/api/v1/portfolios/{portfolio.pk}/excel-import/{kind}/{step}/"


def test_preview_then_confirm_creates_the_rows(client, setup):
    portfolio, _coordinator = setup
    response = client.post(
        url(portfolio, "initiatives", "preview"), {"file": xlsx([[None, "Växel", "Åmål"]])}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] and body["counts"]["create"] == 1
    assert body["rows"][0]["action"] == "create" and body["rows"][0]["row"] == 2
    assert Initiative.objects.count() == 0

    confirmed = client.post(
        url(portfolio, "initiatives", "confirm"),
        {"token": body["token"]},
        content_type="application/json",
    )
    assert confirmed.status_code == 200
    assert confirmed.json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert Initiative.objects.get().title == "Växel"


def test_a_preview_with_errors_has_no_token_and_names_row_and_column(client, setup):
    portfolio, _coordinator = setup
    response = client.post(
        url(portfolio, "initiatives", "preview"), {"file": xlsx([[None, "", "Gotham"]])}
    )
    body = response.json()
    assert response.status_code == 200 and not body["valid"] and "token" not in body
    errors = body["rows"][0]["errors"]
    assert errors["Titel"] == ["Titel saknas."]
    assert "Gotham" in errors["Föreslagen av kommun"][0]


def test_a_file_that_is_not_xlsx_is_a_400_with_a_field_error(client, setup):
    portfolio, _coordinator = setup
    response = client.post(
        url(portfolio, "initiatives", "preview"),
        {"file": SimpleUploadedFile("lista.csv", b"Titel\n")},
    )
    assert response.status_code == 400
    assert ".xlsx" in response.json()["errors"]["file"][0]


def test_an_altered_token_is_refused(client, setup):
    portfolio, _coordinator = setup
    response = client.post(
        url(portfolio, "initiatives", "confirm"),
        {"token": "nonsense"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "token" in response.json()["errors"]


def test_who_may_import_and_what_is_hidden(client, setup):
    portfolio, _coordinator = setup
    client.force_login(factories.user("1460", Role.IT_MANAGER))
    refused = client.post(url(portfolio, "initiatives", "preview"), {"file": xlsx([])})
    assert refused.status_code == 403
    client.force_login(factories.user("1495", Role.COORDINATOR))  # Skara: cannot see it
    assert client.post(url(portfolio, "costs", "preview"), {"file": xlsx([])}).status_code == 404
    client.force_login(factories.user("1460", Role.COORDINATOR))
    assert client.post(url(portfolio, "other", "preview"), {"file": xlsx([])}).status_code == 404
