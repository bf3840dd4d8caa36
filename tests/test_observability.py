"""What the operator sees: Prometheus metrics for the scraper alone, and one request id
in the response, every log line of the request and the jobs it starts."""

import json
import logging
import subprocess
import sys

import pytest
from django.urls import reverse

from reports.models import ReportJob, ReportKind, ReportStatus
from samverkan import request_id
from samverkan.log_format import JSONFormatter
from tests.test_security_deploy import ROOT, _run_in_production

pytestmark = pytest.mark.django_db

TOKEN = "metrics-test-token-0123456789"


def test_metrics_do_not_exist_without_the_operators_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_metrics_count_requests_latency_and_jobs_by_status(client, settings, demo):
    settings.METRICS_TOKEN = TOKEN
    ReportJob.objects.create(
        kind=ReportKind.BOARD_REPORT, status=ReportStatus.FAILED, failure_reason="Testfel"
    )
    client.get(reverse("login"))
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in body
    assert "django_http_responses_total_by_status_total" in body
    failed = ReportJob.objects.filter(status=ReportStatus.FAILED).count()
    assert f'samverkan_report_jobs{{status="failed"}} {float(failed)}' in body
    for status in ReportStatus.values:
        assert f'samverkan_report_jobs{{status="{status}"}}' in body


@pytest.mark.redis
def test_metrics_show_the_length_of_the_job_queue(client, settings):
    settings.METRICS_TOKEN = TOKEN
    body = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert 'samverkan_queue_length{queue="celery"}' in body


def test_every_response_names_its_request_and_keeps_the_proxys_id(client):
    own = client.get(reverse("login"))["X-Request-ID"]
    assert len(own) == 32
    assert client.get(reverse("login"))["X-Request-ID"] != own
    kept = client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-id-4711abcd")
    assert kept["X-Request-ID"] == "proxy-id-4711abcd"
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID="x\nforged line")
    assert forged["X-Request-ID"] != "x\nforged line" and len(forged["X-Request-ID"]) == 32


LOGGING_SCRIPT = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
django.setup()
from django.test import Client
Client().get("/api/v1/initiatives/", HTTP_X_REQUEST_ID="json-log-req-0001",
             HTTP_HOST="samverkan.example.se", HTTP_X_FORWARDED_PROTO="https")
"""


def test_production_logs_json_lines_carrying_the_request_id():
    result = _run_in_production(["-c", LOGGING_SCRIPT])
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    refused = [line for line in lines if line["logger"] == "samverkan.security"]
    assert refused, result.stderr
    assert {line["request_id"] for line in refused} == {"json-log-req-0001"}
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)


def test_a_job_carries_the_id_of_the_request_that_started_it():
    """The id rides in the message header and is set again while the job runs."""
    headers = {}
    token = request_id.current.set("order-click-0042")
    try:
        request_id._send_with_the_job(headers=headers)
    finally:
        request_id.current.reset(token)
    assert headers == {"request_id": "order-click-0042"}

    class Task:
        class request:  # noqa: N801 - Celery's attribute name
            request_id = "order-click-0042"

    request_id._set_in_the_job(task=Task)
    record = logging.LogRecord("reports", logging.INFO, "", 0, "report.started", (), None)
    request_id.RequestIdFilter().filter(record)
    request_id._clear_after_the_job(task=Task)
    assert json.loads(JSONFormatter().format(record))["request_id"] == "order-click-0042"
    assert request_id.current.get() == request_id.NONE


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_logs_the_request_id_of_the_order(demo, tmp_path):
    from tests.test_reports_worker import Worker

    log = tmp_path / "worker.log"
    worker = Worker(tmp_path / "media", log, "samverkan.settings").start()
    try:
        from rest_framework.test import APIClient

        from accounts.models import User
        from accounts.services import api_token_create
        from portfolio.models import Portfolio

        _, key = api_token_create(user=User.objects.get(username="kd.bengtsfors"), name="t")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        dal = Portfolio.objects.get(reference_prefix="DAL")
        response = api.post(
            "/api/v1/reports/",
            {"kind": ReportKind.BOARD_REPORT, "portfolio": dal.pk, "period": "2026H1"},
            format="json",
            HTTP_X_REQUEST_ID="board-order-0007",
        )
        assert response.status_code in (201, 202), response.content
        job_id = response.json()["id"]
        from tests.test_reports_worker import wait_for

        wait_for(ReportJob.objects.get(pk=job_id))
        started = [
            line
            for line in log.read_text(errors="replace").splitlines()
            if f"report.started job={job_id} " in line
        ]
        assert started and all("board-order-0007" in line for line in started)
    finally:
        worker.stop()


def test_the_worker_starts_with_the_logging_of_the_web_process():
    """The worker does not replace the configured handlers with its own."""
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','samverkan.settings');"
        "from samverkan.celery import app; print(app.conf.worker_hijack_root_logger)"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
