"""The samordnare makes the portfolio's archive from the pages and the API (issue:
records fixed in time, retention): a .zip in the shared file storage with a manifest of
checksums, the constellation's agreements and the issued PDFs; nobody else may."""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role, RoleAssignment, User
from municipalities.models import Agreement, Municipality
from portfolio.models import ArchiveExport, ArchiveExportStatus, Portfolio
from portfolio.services.archive_exports import archive_export_run
from reports.models import ReportJob, ReportStatus
from reports.services import report_job_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def dal(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    agreement = Agreement.objects.create(
        title="Avtal om gemensam IT-drift",
        constellation=portfolio.constellation,
        starts_on="2025-01-01",
        ends_on="2027-12-31",
        yearly_fee_per_party=69_000,
    )
    agreement.parties.add(*portfolio.constellation.members.all())
    return portfolio


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_samordnare_orders_an_archive_and_downloads_it_with_its_checksums(
    dal, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_job_request(
            user=User.objects.get(username="kd.bengtsfors"),
            kind="board_report",
            portfolio_id=dal.pk,
            period="2026H1",
        )
    assert ReportJob.objects.get().status == ReportStatus.DONE
    client.force_login(User.objects.get(username="samordnare"))
    settings_page = client.get(reverse("portfolio:settings", args=[dal.pk])).content.decode()
    assert reverse("portfolio:archive-list", args=[dal.pk]) in settings_page
    with django_capture_on_commit_callbacks(execute=True):
        ordered = client.post(reverse("portfolio:archive-order", args=[dal.pk]))
    assert ordered.status_code == 302
    export = ArchiveExport.objects.get()
    assert export.status == ArchiveExportStatus.DONE and export.documents == 1
    listing = client.get(reverse("portfolio:archive-list", args=[dal.pk])).content.decode()
    assert export.sha256 in listing
    download = client.get(reverse("portfolio:archive-download", args=[dal.pk, export.pk]))
    content = _body(download)
    assert download["Content-Type"] == "application/zip"
    assert hashlib.sha256(content).hexdigest() == export.sha256
    assert download["Digest"] == f"sha-256={export.sha256}"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
        [agreement] = json.loads(archive.read("agreements.json"))
        assert agreement["yearly_fee_per_party"] == 69_000
        assert "1460" in agreement["parties"]
        assert any(name.startswith("pdf/") for name in manifest["files"])
        issued = manifest["issued_documents"]
        assert issued and all(entry["matches"] is True for entry in issued.values())


def test_one_archive_at_a_time_and_the_api_follows_it(dal, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(User.objects.get(username="samordnare"))
    url = f"/api/v1/portfolios/{dal.pk}/archives/"
    first = api.post(url)
    assert first.status_code == 202 and first.json()["status"] == "queued"
    second = api.post(url)
    assert second.status_code == 400
    assert "pågår redan" in second.json()["detail"]
    archive_export_run(export_id=first.json()["id"])
    detail = api.get(f"{url}{first.json()['id']}/").json()
    assert detail["status"] == "done" and len(detail["sha256"]) == 64
    download = api.get(f"{url}{first.json()['id']}/download/")
    assert hashlib.sha256(_body(download)).hexdigest() == detail["sha256"]
    # Run twice (a redelivered job): nothing changes.
    archive_export_run(export_id=first.json()["id"])
    assert api.get(f"{url}{first.json()['id']}/").json()["sha256"] == detail["sha256"]


@pytest.mark.parametrize(
    "username", ["kd.bengtsfors", "programledare", "itchef", "initiativagare", "lasare"]
)
def test_nobody_but_the_samordnare_sees_or_orders_archives(dal, client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    assert client.get(reverse("portfolio:archive-list", args=[dal.pk])).status_code == 403
    assert client.post(reverse("portfolio:archive-order", args=[dal.pk])).status_code == 403
    settings_page = client.get(reverse("portfolio:settings", args=[dal.pk])).content.decode()
    assert reverse("portfolio:archive-list", args=[dal.pk]) not in settings_page
    api = APIClient()
    api.force_authenticate(user)
    assert api.get(f"/api/v1/portfolios/{dal.pk}/archives/").status_code == 403
    assert api.post(f"/api/v1/portfolios/{dal.pk}/archives/").status_code == 403
    assert not ArchiveExport.objects.exists()


def test_a_samordnare_of_another_constellation_gets_not_found(dal, client):
    skara = Municipality.objects.get(code="1495")
    outsider = User.objects.create(username="sam.skara", municipality=skara)
    RoleAssignment.objects.create(user=outsider, role=Role.COORDINATOR)
    client.force_login(outsider)
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/portfolios/{dal.pk}/archives/").status_code == 404
    assert client.get(reverse("portfolio:archive-list", args=[dal.pk])).status_code == 404
