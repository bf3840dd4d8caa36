"""Web and worker on machines of their own, sharing only PostgreSQL, Redis and the storage.

Two production web servers (gunicorn, DJANGO_ENV=production) and two Celery workers run
as separate processes, each in a working directory of its own; the one path they share
is the configured file storage (MEDIA_ROOT stands in for object storage here). A report
ordered through one server is rendered by a worker and downloaded from the other, with
its access control and file name; with two workers each job is rendered exactly once.
"""

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from accounts.models import User
from accounts.services import api_token_create
from portfolio.bench.server import Server
from portfolio.models import Initiative, Portfolio
from reports.models import ReportJob, ReportStatus
from tests.test_reports_worker import Worker

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _call(url: str, key: str, body: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_done(server: Server, key: str, job_id: int, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _, body = _call(f"{server.url}/api/v1/reports/{job_id}/", key)
        assert status == 200, body
        job = json.loads(body)
        if job["status"] in (ReportStatus.DONE, ReportStatus.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} was not finished within {timeout} s")


@pytest.fixture
def machines(tmp_path, settings):
    """Two web servers and two workers; the storage directory is all they share."""
    from samverkan.celery import app

    storage = tmp_path / "storage"
    storage.mkdir()
    settings.MEDIA_ROOT = storage  # this test reads the storage as one more machine
    homes = {name: tmp_path / name for name in ("web-a", "web-b", "worker-a", "worker-b")}
    for home in homes.values():
        home.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    app.control.purge()
    started = []
    try:
        workers = [
            Worker(storage, logs / f"{name}.log", "samverkan.settings", cwd=homes[name]).start()
            for name in ("worker-a", "worker-b")
        ]
        started += workers
        webs = []
        for name in ("web-a", "web-b"):
            web = Server(
                settings.CELERY_BROKER_URL,
                log=logs / f"{name}.log",
                media_root=storage,
                cwd=homes[name],
            )
            web.__enter__()
            started.append(web)
            webs.append(web)
        yield webs, workers, homes
    finally:
        for process in reversed(started):
            if isinstance(process, Worker):
                process.stop()
            else:
                process.__exit__(None, None, None)


def test_ordered_on_one_server_rendered_by_a_worker_downloaded_from_the_other(demo, machines):
    (web_a, web_b), workers, homes = machines
    dal = Portfolio.objects.get(reference_prefix="DAL")
    _, key = api_token_create(user=User.objects.get(username="kd.bengtsfors"), name="test")
    _, outsider = api_token_create(user=User.objects.get(username="kd.skara"), name="test")

    status, _, body = _call(
        f"{web_a.url}/api/v1/reports/",
        key,
        {"kind": "board_report", "portfolio": dal.pk, "period": "2026H1"},
    )
    assert status == 202, body
    job = _wait_done(web_b, key, json.loads(body)["id"])
    assert job["status"] == ReportStatus.DONE

    status, headers, document = _call(f"{web_b.url}/api/v1/reports/{job['id']}/download/", key)
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment; filename=")
    assert document.startswith(b"%PDF")
    stored = ReportJob.objects.get(pk=job["id"]).file_path
    with default_storage.open(stored, "rb") as kept:
        assert kept.read() == document
    # The other server checks who may read it, as the first would.
    status, _, _ = _call(f"{web_b.url}/api/v1/reports/{job['id']}/download/", outsider)
    assert status == 404

    # No machine kept anything in a directory of its own: the storage holds it all.
    assert {name: sorted(p.name for p in home.iterdir()) for name, home in homes.items()} == {
        name: [] for name in homes
    }


def test_two_workers_render_each_job_exactly_once(demo, machines):
    (web_a, web_b), workers, _ = machines
    _, key = api_token_create(user=User.objects.get(username="kd.bengtsfors"), name="test")
    dal = Portfolio.objects.get(reference_prefix="DAL")
    orders = [
        {"kind": "board_report", "portfolio": dal.pk, "period": period}
        for period in ("2025H1", "2025H2", "2026H1")
    ] + [
        {"kind": "decision_memo", "initiative": initiative.pk, "gate": "G1"}
        for initiative in Initiative.objects.filter(portfolio=dal).order_by("pk")[:3]
    ]
    ids = []
    for number, order in enumerate(orders):
        server = (web_a, web_b)[number % 2]
        status, _, body = _call(f"{server.url}/api/v1/reports/", key, order)
        assert status == 202, body
        ids.append(json.loads(body)["id"])
    for job_id in ids:
        assert _wait_done(web_a, key, job_id)["status"] == ReportStatus.DONE

    jobs = ReportJob.objects.filter(pk__in=ids)
    assert sorted(job.attempts for job in jobs) == [1] * len(ids)
    _, names = default_storage.listdir("reports")
    assert sorted(names) == sorted(Path(job.file_path).name for job in jobs)
    rendered = [w.log_path.read_text().count("Task reports.render[") for w in workers]
    succeeded = [w.log_path.read_text().count("succeeded in") for w in workers]
    assert sum(succeeded) == len(ids), rendered
    assert all(count > 0 for count in succeeded), "both workers take jobs"
    assert settings.CELERY_BROKER_URL  # the jobs went through Redis, not in process
