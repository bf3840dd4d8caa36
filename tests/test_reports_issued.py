"""Issued documents are kept: served as issued, checked, versioned, PDF/A for archives.

veraPDF is not installable here (no Debian package, no PyPI distribution); the PDF/A
test reads the markers an archive's validator starts from with pypdf instead.
"""

import datetime as dt
import hashlib
import io
import json
import logging
import re
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from accounts.models import User
from portfolio.choices import CostKind, CostNature
from portfolio.models import CostEntry, Initiative, Portfolio
from portfolio.selectors.as_of import existing_on_q
from reports import rendering, services
from reports.models import ReportJob, ReportStatus

PASSWORD_USER = "kd.bengtsfors"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dal(demo):
    return Portfolio.objects.get(reference_prefix="DAL")


def user(username=PASSWORD_USER):
    return User.objects.get(username=username)


def issue(**kwargs) -> ReportJob:
    """Order a document and render it in process, as the worker would."""
    kwargs.setdefault("user", user())
    job, _created = services.report_job_request(**kwargs)
    services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.failure_reason
    return job


def issue_memo(initiative, **kwargs) -> ReportJob:
    return issue(kind="decision_memo", initiative_id=initiative.pk, gate="G1", **kwargs)


def download(client, job) -> bytes:
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_issued_memo_is_served_unchanged_after_the_figures_change(client, dal):
    initiative = Initiative.objects.get(reference="DAL-2")
    job = issue_memo(initiative)
    client.force_login(user())
    first = download(client, job)
    assert hashlib.sha256(first).hexdigest() == job.sha256
    printed = job.figures["data"]["development"]
    assert isinstance(printed, int) and printed > 0

    # The estimate grows after the memo was issued.
    CostEntry.objects.create(
        initiative=initiative,
        nature=CostNature.ESTIMATE,
        kind=CostKind.DEVELOPMENT,
        amount=1_000_000,
        period="2026-01-01",
        description="Tillkommen efter utfärdandet",
    )
    job.refresh_from_db()
    again = download(client, job)
    assert again == first
    assert hashlib.sha256(again).hexdigest() == job.sha256
    assert job.figures["data"]["development"] == printed

    api = client.get(f"/api/v1/reports/{job.pk}/").json()
    assert api["sha256"] == job.sha256
    assert api["replaces"] is None and api["replaced_by"] is None
    assert b"".join(client.get(api["download_url"]).streaming_content) == first
    figures = client.get(api["figures_url"])
    assert figures.status_code == 200
    assert json.loads(figures.content)["data"]["development"] == printed

    newer = issue_memo(initiative)
    assert newer.figures["data"]["development"] == printed + 1_000_000
    assert newer.sha256 != job.sha256


def test_figures_are_plain_json_of_what_was_printed(dal):
    job = issue(kind="board_report", portfolio_id=dal.pk, period="2026H1")
    data = job.figures["data"]
    assert job.figures["format"] == 1
    assert data["portfolio"]["record"] == "portfolio.portfolio"
    assert data["portfolio"]["id"] == dal.pk
    assert data["period"]["label"] == "2026H1"
    rows = data["economy"]["rows"]
    assert rows and all(isinstance(row["allocated"], int) for row in rows)
    # The initiatives that existed at the period's end (portfolio.selectors.as_of).
    existed = Initiative.objects.filter(existing_on_q(dt.date(2026, 6, 30)), portfolio=dal)
    assert data["summary"]["all"] == existed.count()
    # Read back from the database as JSON, not as Python objects.
    stored = ReportJob.objects.values_list("figures", flat=True).get(pk=job.pk)
    assert json.loads(json.dumps(stored)) == job.figures
    assert "password" not in json.dumps(stored)


def test_reissue_names_the_one_it_replaces_and_the_old_one_stays(client, dal):
    first = issue(kind="board_report", portfolio_id=dal.pk, period="2026H1")
    other_period = issue(kind="board_report", portfolio_id=dal.pk, period="2025H2")
    client.force_login(user())
    first_bytes = download(client, first)
    second = issue(kind="board_report", portfolio_id=dal.pk, period="2026H1", user=user("kd.amal"))
    third = issue(kind="board_report", portfolio_id=dal.pk, period="2026H1")
    for job in (first, second, third, other_period):
        job.refresh_from_db()

    assert second.replaces == first and third.replaces == second
    assert first.successor == second and third.successor is None
    assert other_period.replaces is None and other_period.successor is None
    assert download(client, first) == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256

    old_page = client.get(reverse("reports:job", args=[first.pk])).content.decode()
    assert "ersatts av en nyare version" in old_page
    assert "Ersatt av" in old_page and reverse("reports:job", args=[second.pk]) in old_page
    assert first.sha256 in old_page
    middle = client.get(reverse("reports:job", args=[second.pk])).content.decode()
    assert "Ersätter" in middle and reverse("reports:job", args=[first.pk]) in middle
    assert "Ersatt av" in middle and reverse("reports:job", args=[third.pk]) in middle
    assert "Utfärda en ny version" not in old_page
    latest = client.get(reverse("reports:job", args=[third.pk])).content.decode()
    form_url = (
        reverse("reports:new") + f"?kind=board_report&amp;portfolio={dal.pk}&amp;period=2026H1"
    )
    assert f'href="{form_url}"' in latest and "Utfärda en ny version" in latest
    form = client.get(form_url.replace("&amp;", "&")).content.decode()
    assert f'<option value="{dal.pk}" selected>' in form and 'value="2026H1"' in form
    listing = client.get(reverse("reports:list")).content.decode()
    assert third.sha256 in listing and "ersätter" in listing and "ersatt av" in listing

    api = {row["id"]: row for row in client.get("/api/v1/reports/").json()["results"]}
    assert api[first.pk]["replaces"] is None and api[first.pk]["replaced_by"] == second.pk
    assert api[second.pk]["replaces"] == first.pk and api[second.pk]["replaced_by"] == third.pk
    assert api[third.pk]["replaces"] == second.pk and api[third.pk]["replaced_by"] is None


def test_a_personal_municipality_report_replaces_only_the_same_persons(dal):
    bengtsfors = dal.constellation.members.get(name="Bengtsfors")
    mine = issue(kind="municipality_report", municipality_id=bengtsfors.pk, period="2026H1")
    theirs = issue(
        kind="municipality_report",
        municipality_id=bengtsfors.pk,
        period="2026H1",
        user=user("kd.amal"),
    )
    mine_again = issue(kind="municipality_report", municipality_id=bengtsfors.pk, period="2026H1")
    assert theirs.replaces is None
    assert mine_again.replaces == mine


def test_tampered_file_is_refused_with_a_swedish_page_and_api_error(client, dal, caplog):
    job = issue_memo(Initiative.objects.get(reference="DAL-2"))
    default_storage.delete(job.file_path)
    default_storage.save(job.file_path, ContentFile(b"%PDF-1.7 forged"))
    client.force_login(user())
    with caplog.at_level(logging.ERROR, logger="reports.issued"):
        page = client.get(reverse("reports:download", args=[job.pk]))
        api = client.get(f"/api/v1/reports/{job.pk}/download/")
    assert page.status_code == 409
    text = page.content.decode()
    assert "Dokumentet kan inte hämtas" in text and "stämmer inte med kontrollsumman" in text
    assert job.sha256 in text
    assert api.status_code == 409
    assert api.json()["code"] == "document_altered"
    assert "kontrollsumman" in api.json()["detail"]
    assert any(f"checksum_mismatch job={job.pk}" in r.getMessage() for r in caplog.records)


def test_missing_file_is_refused_with_a_swedish_page_and_api_error(client, dal, caplog):
    job = issue_memo(Initiative.objects.get(reference="DAL-2"))
    default_storage.delete(job.file_path)
    client.force_login(user())
    with caplog.at_level(logging.ERROR, logger="reports.issued"):
        page = client.get(reverse("reports:download", args=[job.pk]))
        api = client.get(f"/api/v1/reports/{job.pk}/download/")
    assert page.status_code == 410
    assert "finns inte längre i fillagringen" in page.content.decode()
    assert api.status_code == 410 and api.json()["code"] == "document_missing"
    assert any(f"file_missing job={job.pk}" in r.getMessage() for r in caplog.records)


def test_outsiders_see_neither_figures_nor_versions(client, dal):
    job = issue_memo(Initiative.objects.get(reference="DAL-2"))
    client.force_login(user("kd.skara"))  # V6, not Dalsland
    assert client.get(reverse("reports:figures", args=[job.pk])).status_code == 404
    assert client.get(f"/api/v1/reports/{job.pk}/figures/").status_code == 404


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _fonts(reader: PdfReader) -> list:
    found = {}
    for page in reader.pages:
        resources = _resolve(page.get("/Resources")) or {}
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            found[id(font)] = font
    return list(found.values())


def test_issued_pdf_is_tagged_pdf_a_2u(dal):
    job = issue(kind="board_report", portfolio_id=dal.pk, period="2026H1")
    content = default_storage.open(job.file_path).read()
    reader = PdfReader(io.BytesIO(content))
    assert not reader.is_encrypted
    assert content.startswith(b"%PDF-1.7")
    root = reader.trailer["/Root"]

    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part="2"', xmp), xmp[:500]
    assert re.search(r'pdfaid:conformance="U"', xmp)

    [intent] = root["/OutputIntents"]
    intent = _resolve(intent)
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    assert profile.get_data()[36:40] == b"acsp"  # an ICC profile's signature

    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "sv"
    assert reader.metadata.title.startswith("Portföljrapport Digitalisering Dalsland")
    assert "/ID" in reader.trailer

    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        described = _resolve(descendants[0]) if descendants else font
        descriptor = _resolve(described["/FontDescriptor"])
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font
        assert "/ToUnicode" in font, font  # level U: every glyph maps to Unicode


@pytest.mark.postgres
def test_the_database_refuses_to_rewrite_or_delete_an_issued_document(dal):
    job = issue_memo(Initiative.objects.get(reference="DAL-2"))
    rewrites = (
        {"sha256": "0" * 64},
        {"file_path": "reports/other.pdf"},
        {"figures": {"format": 1, "data": {}}},
        {"status": ReportStatus.FAILED, "failure_reason": "x"},
    )
    for change in rewrites:
        with pytest.raises(IntegrityError), transaction.atomic():
            ReportJob.objects.filter(pk=job.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.filter(pk=job.pk).delete()
    stored = ReportJob.objects.get(pk=job.pk)
    assert (stored.sha256, stored.file_path, stored.figures) == (
        job.sha256,
        job.file_path,
        job.figures,
    )
    # A newer issue names it without changing it; a queued job is still the services' to run.
    newer = issue_memo(job.initiative)
    assert newer.replaces_id == job.pk
    ReportJob.objects.filter(pk=newer.pk).update(attempts=5)  # bookkeeping stays writable


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_issues_finishing_at_once_each_name_the_one_before(demo, monkeypatch):
    """Two workers finish the same document at the same moment: the chain stays one line
    (each issue replaced at most once, none lost)."""
    initiative = Initiative.objects.get(reference="DAL-2")
    first = issue_memo(initiative)
    monkeypatch.setattr(services, "report_job_enqueue", lambda job_id: True)  # no worker
    queued = [
        services.report_job_request(
            user=user(), kind="decision_memo", initiative_id=initiative.pk, gate="G1"
        )[0]
        for _ in range(2)
    ]
    both_rendered = threading.Barrier(2, timeout=30)

    def render(job):
        both_rendered.wait()
        return rendering.Rendered(f"%PDF-1.7 {job.pk}".encode(), {"format": 1, "data": {}})

    looked_up = services._latest_issue

    def slow_lookup(job):
        found = looked_up(job)
        time.sleep(0.5)  # widen the window between finding the latest issue and naming it
        return found

    monkeypatch.setattr(services, "render_job", render)
    monkeypatch.setattr(services, "_latest_issue", slow_lookup)
    errors = []

    def run(job_id):
        try:
            services.report_job_run(job_id=job_id)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job.pk,)) for job in queued]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    done = ReportJob.objects.filter(pk__in=[j.pk for j in queued], status=ReportStatus.DONE)
    assert done.count() == 2
    chain = sorted(done, key=lambda job: job.finished_at)
    assert chain[0].replaces_id == first.pk
    assert chain[1].replaces_id == chain[0].pk


def test_a_document_issued_before_checksums_were_kept_is_still_served(client, dal):
    """Jobs finished before this release have no checksum: served as stored, and the
    page says that there is nothing to check against."""
    stored = default_storage.save("reports/old-1.pdf", ContentFile(b"%PDF-1.7 old"))
    job = ReportJob.objects.create(
        kind="board_report",
        status=ReportStatus.DONE,
        portfolio=dal,
        requested_by=user(),
        parameters={"period": "2025H2"},
        idempotency_key="old-release",
        file_path=stored,
        file_size=12,
    )
    client.force_login(user())
    assert download(client, job) == b"%PDF-1.7 old"
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Ingen sparad" in page
    assert "Siffrorna som dokumentet skrevs ut från" not in page
    assert client.get(f"/api/v1/reports/{job.pk}/").json()["figures_url"] is None
