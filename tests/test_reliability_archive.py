"""The archive of a portfolio: every record and decision as JSON plus the PDFs, readable
with nothing but `zipfile` and `json` (no Samverkan, no Django)."""

import hashlib
import json
import zipfile

import pytest
from django.core.management import call_command

from accounts.models import User
from portfolio.archive import _paths_to_portfolio
from portfolio.models import (
    CostEntry,
    GateDecision,
    HistoryEntry,
    Initiative,
    Measurement,
    Portfolio,
    StatusUpdate,
)
from reports.models import ReportJob, ReportStatus
from reports.services import report_job_request


@pytest.fixture
def archived(demo, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    dal = Portfolio.objects.get(reference_prefix="DAL")
    with django_capture_on_commit_callbacks(execute=True):
        report_job_request(
            user=User.objects.get(username="kd.bengtsfors"),
            kind="board_report",
            portfolio_id=dal.pk,
            period="2026H1",
        )
    assert ReportJob.objects.get().status == ReportStatus.DONE
    call_command("export_portfolio_archive", "dal", output_dir=str(tmp_path / "out"))
    [path] = list((tmp_path / "out").glob("*.zip"))
    return dal, path


def _read(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(name).decode("utf-8"))


def test_archive_holds_every_record_of_the_portfolio_and_nothing_else(archived):
    dal, path = archived
    assert path.name.startswith(f"samverkan-arkiv-dal-{dal.pk}-")
    with zipfile.ZipFile(path) as archive:
        initiatives = _read(archive, "data/initiative.json")
        decisions = _read(archive, "data/gatedecision.json")
        assert {row["id"] for row in initiatives} == set(
            Initiative.objects.filter(portfolio=dal).values_list("pk", flat=True)
        )
        assert Initiative.objects.exclude(portfolio=dal).exists()  # other portfolios exist
        assert len(decisions) == GateDecision.objects.filter(initiative__portfolio=dal).count()
        assert len(decisions) > 0
        for name, model, lookup in [
            ("data/statusupdate.json", StatusUpdate, "initiative__portfolio"),
            ("data/historyentry.json", HistoryEntry, "initiative__portfolio"),
            ("data/costentry.json", CostEntry, "initiative__portfolio"),
            ("data/measurement.json", Measurement, "effect_goal__initiative__portfolio"),
        ]:
            assert len(_read(archive, name)) == model.objects.filter(**{lookup: dal}).count()


def test_records_are_plain_json_with_swedish_labels_and_named_people(archived):
    dal, path = archived
    with zipfile.ZipFile(path) as archive:
        decision = _read(archive, "data/gatedecision.json")[0]
        assert decision["outcome_label"] and decision["decided_on"].count("-") == 2
        assert decision["recorded_at"].endswith("Z")
        people = {p["id"]: p for p in _read(archive, "people.json")}
        assert decision["recorded_by_id"] in people
        assert "password" not in json.dumps(list(people.values()))
        codes = {m["code"] for m in _read(archive, "municipalities.json")}
        assert {"1460", "1492"} <= codes
        portfolio = _read(archive, "portfolio.json")
        assert portfolio["name"] == dal.name
        assert "1460" in portfolio["constellation"]["members"]


def test_pdfs_are_inside_and_the_manifest_vouches_for_every_file(archived):
    _, path = archived
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        pdfs = [n for n in names if n.startswith("pdf/")]
        assert len(pdfs) == 1 and archive.read(pdfs[0]).startswith(b"%PDF")
        manifest = _read(archive, "manifest.json")
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        assert set(manifest["files"]) | {"manifest.json"} == set(names)
        readme = archive.read("README.txt").decode("utf-8")
        assert "utan Samverkan" in readme and "data/gatedecision.json" in readme


def test_every_model_that_belongs_to_a_portfolio_is_found():
    assert "effect_goal__initiative__portfolio" in _paths_to_portfolio(Measurement)
    assert "initiative__portfolio" in _paths_to_portfolio(GateDecision)
    assert _paths_to_portfolio(ReportJob)


def test_an_unknown_portfolio_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ingen portfölj"):
        call_command("export_portfolio_archive", "NOPE")
