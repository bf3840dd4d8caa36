"""Report jobs in process (no broker): ordering, progress, download, access, failure."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from municipalities.models import Agreement, Municipality
from notifications.models import Kind, Notification
from portfolio.models import Initiative, Portfolio
from portfolio.periods import parse_period
from reports import notices, services, tasks
from reports.models import ReportJob, ReportKind, ReportStatus

PASSWORD = "samverkan-demo-2026"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dal(demo):
    return Portfolio.objects.get(reference_prefix="DAL")


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def request_board(client, portfolio, capture, **extra):
    with capture(execute=True):
        return client.post(
            reverse("reports:new"),
            {"kind": "board_report", "portfolio": portfolio.pk, "period": "2026H1", **extra},
        )


def test_board_report_is_ordered_followed_and_downloaded(
    client, dal, django_capture_on_commit_callbacks
):
    login(client, "kd.bengtsfors")
    response = request_board(client, dal, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:job", args=[job.pk])
    assert job.status == ReportStatus.DONE
    assert job.attempts == 1

    page = client.get(response.url)
    assert "Dokumentet är klart" in page.content.decode()
    fragment = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment  # finished: polling stops
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert f'filename="portfoljrapport-dal-2026h1-{job.pk}.pdf"' in download["Content-Disposition"]
    text = pdf_text(b"".join(download.streaming_content))
    assert "Portföljrapport Digitalisering Dalsland" in text
    assert "Sida 1 av" in text


def test_queued_job_page_polls_every_two_seconds(client, dal):
    login(client, "kd.bengtsfors")
    job, _ = services.report_job_request(
        user=User.objects.get(username="kd.bengtsfors"),
        kind=ReportKind.BOARD_REPORT,
        portfolio_id=dal.pk,
        period="2026H1",
    )
    html = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "väntar" in html


def test_outsiders_get_404_everywhere(client, dal, django_capture_on_commit_callbacks):
    login(client, "kd.bengtsfors")
    request_board(client, dal, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    login(client, "kd.skara")  # V6, not Dalsland
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    assert client.get(f"/api/v1/reports/{job.pk}/").status_code == 404
    assert client.get(f"/api/v1/reports/{job.pk}/download/").status_code == 404
    assert client.get("/api/v1/reports/").json()["count"] == 0
    answer = client.post(
        "/api/v1/reports/",
        {"kind": "board_report", "portfolio": dal.pk},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert ReportJob.objects.count() == 1


def test_api_creates_reports_status_and_download(client, dal, django_capture_on_commit_callbacks):
    login(client, "kd.amal")
    initiative = Initiative.objects.get(reference="DAL-2")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/reports/",
            {"kind": "decision_memo", "initiative": initiative.pk, "gate": "G1"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="memo-dal-2",
        )
    assert answer.status_code == 202
    job_id = answer.json()["id"]
    status = client.get(f"/api/v1/reports/{job_id}/").json()
    assert status["status"] == "done"
    assert status["download_url"] == f"/api/v1/reports/{job_id}/download/"
    assert status["filename"] == f"beslutsunderlag-dal-2-g1-{job_id}.pdf"
    again = client.post(
        "/api/v1/reports/",
        {"kind": "decision_memo", "initiative": initiative.pk, "gate": "G1"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="memo-dal-2",
    )
    assert again.status_code == 200 and again.json()["id"] == job_id
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert "Beslutsunderlag" in pdf_text(b"".join(download.streaming_content))


def test_api_bad_input_is_400_with_field_errors(client, dal):
    login(client, "kd.amal")
    answer = client.post(
        "/api/v1/reports/",
        {"kind": "board_report", "portfolio": dal.pk, "period": "sommaren"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "period" in answer.json()["errors"]
    answer = client.post("/api/v1/reports/", {"kind": "x"}, content_type="application/json")
    assert answer.status_code == 400 and "kind" in answer.json()["errors"]
    assert ReportJob.objects.count() == 0


def test_running_a_job_twice_yields_one_file(dal, settings):
    user = User.objects.get(username="kd.bengtsfors")
    job, _ = services.report_job_request(
        user=user, kind=ReportKind.BOARD_REPORT, portfolio_id=dal.pk, period="2026H1"
    )
    tasks.report_job_render(job.pk)
    tasks.report_job_render(job.pk)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE and job.attempts == 1
    assert job.file_path == f"reports/{job.pk}-1.pdf"
    assert default_storage.listdir("reports")[1] == [f"{job.pk}-1.pdf"]


def test_render_error_leaves_job_failed_and_page_says_so(
    client, dal, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr("reports.rendering.board_report", broken)
    login(client, "kd.bengtsfors")
    response = request_board(client, dal, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    assert job.status == ReportStatus.FAILED
    assert "Dokumentet kunde inte skapas (RuntimeError)" in job.failure_reason
    assert job.file_path == ""
    html = client.get(response.url).content.decode()
    assert "Misslyckades" in html and "Dokumentet kunde inte skapas" in html
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    tasks.report_job_render(job.pk)  # a failed job is not silently redone
    job.refresh_from_db()
    assert job.attempts == 1


def test_broker_down_keeps_job_queued_and_resend_sends_it(
    client, dal, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def no_broker(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.report_job_render, "apply_async", no_broker)
    login(client, "kd.bengtsfors")
    response = request_board(client, dal, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == ReportStatus.QUEUED and job.enqueue_failed
    html = client.get(response.url).content.decode()
    assert "går inte att nå just nu" in html and "ligger kvar i kö" in html

    monkeypatch.undo()
    ReportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - dt.timedelta(minutes=10))
    call_command("resend_report_jobs", "--older-than-minutes", "5", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE and not job.enqueue_failed


def test_municipality_report_is_personal(client, dal, django_capture_on_commit_callbacks):
    login(client, "kd.bengtsfors")
    bengtsfors = Municipality.objects.get(code="1460")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:new"),
            {"kind": "municipality_report", "municipality": bengtsfors.pk, "period": "2026H1"},
        )
    job = ReportJob.objects.get()
    assert job.status == ReportStatus.DONE
    login(client, "kd.amal")  # same constellation, but the report was made for someone else
    assert client.get(response.url).status_code == 404
    login(client, "kd.skara")
    answer = client.post(
        reverse("reports:new"),
        {"kind": "municipality_report", "municipality": bengtsfors.pk},
    )
    assert answer.status_code in (200, 404)
    assert ReportJob.objects.count() == 1


def test_half_year_schedule_makes_one_report_per_portfolio_and_mails_directors(
    dal, django_capture_on_commit_callbacks
):
    period = parse_period("2026H1")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.board_report_schedule(period=period)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.board_report_schedule(period=period)
    assert [j.pk for j in first] == [j.pk for j in second]
    assert ReportJob.objects.count() == Portfolio.objects.count()
    assert set(ReportJob.objects.values_list("status", flat=True)) == {ReportStatus.DONE}
    dal_mail = [m for m in mail.outbox if "Digitalisering Dalsland" in m.subject]
    assert len(dal_mail) == 1
    assert "kd.bengtsfors@example.se" in dal_mail[0].to
    assert "kd.skara@example.se" not in dal_mail[0].to
    job = ReportJob.objects.get(portfolio=dal)
    assert f"/rapporter/{job.pk}/" in dal_mail[0].body


def test_agreement_notice_warning_goes_to_the_parties(
    demo, smtp_server, django_capture_on_commit_callbacks
):
    stark = Agreement.objects.get(registration_number="KS 2025/412")
    deadline = notices.notice_deadline(stark)
    assert deadline == dt.date(2028, 3, 30)
    # Before the first step (90 days) nothing is due.
    assert notices.agreement_notice_warn(today=deadline - dt.timedelta(days=91)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        made = notices.agreement_notice_warn(today=deadline - dt.timedelta(days=30))
        # A second run the same day, or the next day, tells nobody twice.
        assert notices.agreement_notice_warn(today=deadline - dt.timedelta(days=30)) == 0
        assert notices.agreement_notice_warn(today=deadline - dt.timedelta(days=29)) == 0
    # One notification and one e-mail per director and coordinator of the parties.
    recipients = [message["To"] for message in smtp_server]
    assert made == len(recipients) >= 1
    assert "kd.arboga@example.se" in recipients
    parties = set(stark.parties.values_list("pk", flat=True))
    assert all(User.objects.get(email=address).municipality_id in parties for address in recipients)
    assert all("2028-03-30" in message.get_content() for message in smtp_server)
    assert Notification.objects.filter(kind=Kind.AGREEMENT_NOTICE).count() == made


def test_a_missed_notice_step_is_sent_on_the_next_run_once(demo):
    """The beat was down on the 30-day step: the next run sends that step (not the
    90-day one before it), once; the 7-day step follows on its day."""
    stark = Agreement.objects.get(registration_number="KS 2025/412")
    deadline = notices.notice_deadline(stark)
    parties_people = notices.agreement_notice_warn(today=deadline - dt.timedelta(days=20))
    assert parties_people >= 1
    sent = Notification.objects.filter(kind=Kind.AGREEMENT_NOTICE)
    assert sent.count() == parties_people
    assert all("om 20 dagar" in n.body for n in sent.all())
    assert notices.agreement_notice_warn(today=deadline - dt.timedelta(days=19)) == 0
    assert notices.agreement_notice_warn(today=deadline - dt.timedelta(days=6)) == parties_people
    # After the last day for notice, nothing more.
    assert notices.agreement_notice_warn(today=deadline + dt.timedelta(days=1)) == 0
    assert sent.all().count() == 2 * parties_people


def test_beat_schedule_is_configured(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "reports.board_reports_half_year",
        "reports.agreement_notice_warnings",
        "reports.resend_queued",
        "notifications.digest",
        "notifications.pending",
        "portfolio.overdue_reminders",
    } <= tasks_scheduled
    assert tasks.TIME_LIMIT < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
