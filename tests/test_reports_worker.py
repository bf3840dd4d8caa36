"""A real Celery worker on Redis and PostgreSQL produces the documents.

The worker is a subprocess (`celery -A samverkan worker`) pointed at the pytest test
database, so jobs requested here are rendered there, exactly as in production.
"""

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pdf_pages
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from municipalities.models import Municipality
from portfolio.models import Initiative, Portfolio, Program
from portfolio.periods import parse_period
from portfolio.selectors.economy import municipality_economy, portfolio_economy
from reports import files, services, sources
from reports.models import ReportJob, ReportKind, ReportStatus
from samverkan.formatting import kr

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BASE_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS = BASE_DIR / "artifacts"
PERIOD = parse_period("2026H1")


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(
        self, media_root: Path, log_path: Path, settings_module: str, cwd: Path = BASE_DIR
    ):
        self.log_path = log_path
        self.cwd = cwd
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.CELERY_BROKER_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "MEDIA_ROOT": str(media_root),
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PYTHONPATH": str(BASE_DIR),
            "DB_CONN_MAX_AGE": "0",
        }
        self.process = None

    def start(self):
        self.log = self.log_path.open("ab")
        offset = self.log_path.stat().st_size
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "samverkan",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"reports-test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=self.cwd,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if b" ready." in self.log_path.read_bytes()[offset:]:
                return self
            if self.process.poll() is not None:
                raise RuntimeError(self.log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        raise RuntimeError("the Celery worker did not start")

    def kill(self):
        """SIGKILL the whole worker: the main process and its pool children."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        if not self.log.closed:
            self.log.close()


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("report-media")


@pytest.fixture(scope="module")
def worker(django_db_setup, media_root, tmp_path_factory):
    from django.core.cache import cache

    from samverkan.celery import app

    app.control.purge()
    # A previous run's worker may have cached figures for the same test database name
    # and the same (recreated) ids.
    cache.clear()
    running = Worker(
        media_root, tmp_path_factory.mktemp("worker") / "worker.log", "samverkan.settings"
    ).start()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _media(settings, media_root):
    settings.MEDIA_ROOT = media_root


def wait_for(job: ReportJob, statuses=(ReportStatus.DONE, ReportStatus.FAILED), timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} still {job.status}")


def request(**kwargs) -> ReportJob:
    user = User.objects.get(username=kwargs.pop("username", "kd.bengtsfors"))
    job, _ = services.report_job_request(user=user, **kwargs)
    return job


def pdf_text(job: ReportJob) -> str:
    content = files.read_document(job)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def save_first_page(job: ReportJob, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_pages.first_page_png(files.read_document(job), ARTIFACTS / f"worker-{name}.png")


def line_with(text: str, start: str) -> str:
    """The table row that starts with `start`, even when a narrow column wraps the name."""
    lines = text.splitlines()
    for first in range(len(lines)):
        row = lines[first]
        for following in lines[first + 1 : first + 3]:
            if len(row) > len(start) or not start.startswith(row):
                break
            row = f"{row} {following}"
        if row.startswith(start + " "):
            return row
    raise AssertionError(f"No row starts with {start!r}")


def test_worker_produces_each_document_from_the_demo_data(demo, worker, client):
    dal = Portfolio.objects.get(reference_prefix="DAL")
    initiative = Initiative.objects.get(reference="DAL-2")
    bengtsfors = Municipality.objects.get(code="1460")
    board = request(kind=ReportKind.BOARD_REPORT, portfolio_id=dal.pk, period="2026H1")
    memo = request(kind=ReportKind.DECISION_MEMO, initiative_id=initiative.pk, gate="G1")
    municipal = request(
        kind=ReportKind.MUNICIPALITY_REPORT, municipality_id=bengtsfors.pk, period="2026H1"
    )
    for job in (board, memo, municipal):
        wait_for(job)
        assert job.status == ReportStatus.DONE, job.failure_reason
        assert job.attempts == 1 and job.started_at and job.finished_at

    text = pdf_text(board)
    assert "Portföljrapport Digitalisering Dalsland" in text
    assert "Fördelning och netto per kommun" in text
    for row in portfolio_economy(dal, PERIOD).rows:
        line = line_with(text, row.name)
        assert kr(row.allocated) in line and kr(row.net) in line
    save_first_page(board, "portfoljrapport")

    text = pdf_text(memo)
    for heading in ("Förslag till beslut", "Ekonomiska konsekvenser", "Barnkonsekvensanalys"):
        assert heading in text
    for row in sources.allocation_for(initiative, 320_000, timezone.localdate()):
        assert kr(row.amount) in line_with(text, row.name)
    save_first_page(memo, "beslutsunderlag")

    text = pdf_text(municipal)
    assert "Kommunrapport Bengtsfors" in text
    for economy in municipality_economy(bengtsfors, PERIOD):
        name = Portfolio.objects.get(pk=economy.portfolio_id).name
        assert kr(economy.row_for("1460").net) in line_with(text, name)
    save_first_page(municipal, "kommunrapport")

    client.force_login(User.objects.get(username="kd.bengtsfors"))
    download = client.get(reverse("reports:download", args=[board.pk]))
    assert download.status_code == 200


def test_worker_render_error_leaves_job_failed(demo, worker, client):
    user = User.objects.get(username="kd.bengtsfors")
    # Parameters no renderer can use (an invalid half-year) make the rendering fail.
    job = ReportJob.objects.create(
        kind=ReportKind.BOARD_REPORT,
        portfolio=Portfolio.objects.get(reference_prefix="DAL"),
        parameters={"period": "2026H9"},
        requested_by=user,
        idempotency_key=f"test:{uuid.uuid4().hex}",
    )
    assert services.report_job_enqueue(job_id=job.pk)
    wait_for(job)
    assert job.status == ReportStatus.FAILED
    assert "Dokumentet kunde inte skapas" in job.failure_reason
    client.force_login(user)
    html = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Misslyckades" in html and job.failure_reason in html


def test_worker_prints_hostile_text_without_fetching(demo, worker):
    initiative = Initiative.objects.get(reference="DAL-2")
    Initiative.objects.filter(pk=initiative.pk).update(
        title='Attack <img src="file:///etc/passwd">',
        need='<a href="http://169.254.169.254/latest/meta-data/">metadata</a>',
    )
    job = wait_for(request(kind=ReportKind.DECISION_MEMO, initiative_id=initiative.pk, gate="G1"))
    assert job.status == ReportStatus.DONE
    text = pdf_text(job)
    assert 'file:///etc/passwd">' in text and "169.254.169.254" in text
    assert "root:x:0:0" not in text
    assert b"refused to fetch" not in worker.log_path.read_bytes()


def _big_portfolio(portfolio) -> None:
    """Enough initiatives for a board report of some twenty pages."""
    program = Program.objects.filter(portfolio=portfolio).first()
    proposer = portfolio.constellation.members.first()
    Initiative.objects.bulk_create(
        Initiative(
            portfolio=portfolio,
            program=program,
            reference=f"{portfolio.reference_prefix}-{1000 + n}",
            title=f"Utökat initiativ {n}",
            proposing_municipality=proposer,
        )
        for n in range(400)
    )


def _files_of(job: ReportJob) -> list[str]:
    if not default_storage.exists("reports"):
        return []
    return [n for n in default_storage.listdir("reports")[1] if n.startswith(f"{job.pk}-")]


def test_killed_worker_report_is_produced_exactly_once(demo, worker, media_root, tmp_path):
    worker.stop()  # this test runs its own workers, with a short visibility timeout
    dal = Portfolio.objects.get(reference_prefix="DAL")
    _big_portfolio(dal)
    log = tmp_path / "killed.log"
    first = Worker(media_root, log, "tests.reports_worker_settings").start()
    job = request(kind=ReportKind.BOARD_REPORT, portfolio_id=dal.pk, period="2026H1")
    wait_for(job, statuses=(ReportStatus.RUNNING, ReportStatus.DONE))
    assert job.status == ReportStatus.RUNNING
    time.sleep(0.5)
    first.kill()
    job.refresh_from_db()
    assert job.status == ReportStatus.RUNNING and job.attempts == 1
    assert not _files_of(job)

    second = Worker(media_root, log, "tests.reports_worker_settings").start()
    try:
        wait_for(job, timeout=120)
    finally:
        second.stop()
    assert job.status == ReportStatus.DONE
    assert job.attempts == 2
    assert _files_of(job) == [Path(job.file_path).name]
    # The board report names only exceptions, so its length no longer grows with the
    # portfolio: the whole document is there when its last page says so.
    pages = PdfReader(io.BytesIO(files.read_document(job))).pages
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1].extract_text()
    worker.start()  # the module's worker again, for any test after this one
