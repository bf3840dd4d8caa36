"""A large import is applied by a job: the confirmation answers at once, the job page
(or the API's job) shows it under way and then what was created, or every error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts.models import Role
from portfolio.bench import upload_files
from portfolio.models import ImportJob, Initiative
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_job_threshold")]


@pytest.fixture
def small_job_threshold():
    with override_settings(EXCEL_IMPORT_SYNC_MAX_ROWS=3):
        yield


@pytest.fixture
def setup(client):
    portfolio = factories.portfolio()
    coordinator = factories.user("1460", Role.COORDINATOR)
    client.force_login(coordinator)
    return portfolio, coordinator


def _api(portfolio, step):
    return f"/api/v1/portfolios/{portfolio.pk}/excel-import/initiatives/{step}/"


def _token(client, portfolio, content):
    response = client.post(
        _api(portfolio, "preview"), {"file": SimpleUploadedFile("a.xlsx", content)}
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_the_api_answers_a_large_import_with_202_and_the_job_shows_the_result(
    client, setup, django_capture_on_commit_callbacks
):
    portfolio, _coordinator = setup
    token = _token(client, portfolio, upload_files.initiatives_file(5))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            _api(portfolio, "confirm"), {"token": token}, content_type="application/json"
        )
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["location"]
    assert body["status"] == "queued" and body["rows"] == 5
    assert Initiative.objects.count() == 0  # nothing is written in the request
    for callback in callbacks:
        callback()  # the task, eager as in the default local run
    job = client.get(body["location"]).json()
    assert job["status"] == "done" and job["created"] == 5
    assert Initiative.objects.filter(portfolio=portfolio).count() == 5


def test_a_small_import_is_still_applied_in_the_request(client, setup):
    portfolio, _coordinator = setup
    token = _token(client, portfolio, upload_files.initiatives_file(3))
    response = client.post(
        _api(portfolio, "confirm"), {"token": token}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["created"] == 3
    assert not ImportJob.objects.exists()


def test_a_job_that_fails_writes_nothing_and_keeps_every_error(
    client, setup, django_capture_on_commit_callbacks
):
    portfolio, _coordinator = setup
    program = factories.program(portfolio)
    rows = [["Titel", "Program"]] + [[f"Rad {n}", ""] for n in range(1, 5)]
    rows.append(["Sista", program.name])
    token = _token(client, portfolio, upload_files.workbook(rows))
    # The data changes between the preview and the job: the last row's program is gone.
    program.delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _api(portfolio, "confirm"), {"token": token}, content_type="application/json"
        )
    assert response.status_code == 202
    job = client.get(response["Location"]).json()
    assert job["status"] == "failed" and job["created"] == 0
    assert "ingenting har sparats" in job["failure_reason"]
    assert "finns inte i portföljen" in job["errors"]["rad 6"][0]
    assert not Initiative.objects.filter(portfolio=portfolio).exists()
    assert bytes(ImportJob.objects.get().content) == b""


def test_the_page_follows_a_large_import_to_its_result(
    client, setup, django_capture_on_commit_callbacks
):
    portfolio, _coordinator = setup
    upload = SimpleUploadedFile("a.xlsx", upload_files.initiatives_file(5))
    page = client.post(
        reverse("portfolio:excel-import", args=[portfolio.pk]),
        {"kind": "initiatives", "file": upload},
    )
    token = page.context["token"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("portfolio:excel-import-confirm", args=[portfolio.pk]),
            {"kind": "initiatives", "token": token},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portfolio:excel-import-job", args=[portfolio.pk, job.pk]
    )
    waiting = client.get(response["Location"]).content.decode()
    assert "Status: I kö" in waiting and "hx-get" in waiting
    for callback in callbacks:
        callback()
    done = client.get(response["Location"]).content.decode()
    assert "Importen är klar: 5 nya, 0 uppdaterade, 0 oförändrade." in done
    assert "hx-get" not in done


def test_someone_else_cannot_see_the_job(client, setup, django_capture_on_commit_callbacks):
    portfolio, _coordinator = setup
    token = _token(client, portfolio, upload_files.initiatives_file(5))
    with django_capture_on_commit_callbacks(execute=False):
        location = client.post(
            _api(portfolio, "confirm"), {"token": token}, content_type="application/json"
        )["Location"]
    client.force_login(factories.user("1460", Role.COORDINATOR))
    assert client.get(location).status_code == 404
