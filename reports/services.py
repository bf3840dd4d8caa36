"""Writes for report jobs: request one, run one, re-send the stuck ones.

A job is rendered by `report_job_run`, which the Celery task calls with the job id, on
whichever worker machine takes it; the document goes to the shared file storage
(reports/files.py). Running the same job twice yields one file: a job that is already
done is not redone, and an attempt that did not finish the job removes its file. When the broker
cannot be reached the job stays queued and `report_jobs_resend` (beat, or the
management command `resend_report_jobs`) sends it again later.

When a job is done its document is issued: the SHA-256 of the bytes and the figures it
was printed from are stored with it, and it names the earlier issue of the same
document that it replaces (`replaces`). Nothing of an issued document is changed later:
a download serves the stored bytes, and a newer version is always a new job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.roles import holders_q
from municipalities.models import Municipality
from portfolio.choices import Gate
from portfolio.domain.gate_checks import next_gate
from portfolio.models import GateDecision, Initiative, Portfolio
from portfolio.periods import Period, half_year_of, parse_period
from portfolio.selectors.access import visible_initiatives, visible_portfolios
from portfolio.services.errors import DomainError

from . import files, minutes_rendering, rendering, spreadsheets
from .models import (
    ISSUED_KINDS,
    ORDERABLE_KINDS,
    SPREADSHEET_KINDS,
    ReportJob,
    ReportKind,
    ReportStatus,
)
from .selectors import visible_municipalities

logger = logging.getLogger(__name__)

# A running job older than the task's hard time limit has lost its worker.
STALE_RUNNING = dt.timedelta(seconds=getattr(settings, "REPORTS_TASK_TIME_LIMIT", 300) + 60)


class NotFound(DomainError):
    """Something the user cannot see; answers like a missing object (404)."""

    status_code = 404
    rule = "not_found"


# --- request --------------------------------------------------------------------------


def _period(text: str | None, field: str = "period") -> Period:
    if not text:
        return half_year_of(timezone.localdate())
    try:
        return parse_period(text)
    except ValueError as error:
        raise ValidationError({field: [str(error)]}) from None


def _get_visible(queryset, pk, field: str):
    try:
        return queryset.get(pk=int(pk))
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Ange ett giltigt id.")]}) from None
    except queryset.model.DoesNotExist:
        raise NotFound(_("Det finns inget sådant underlag."), fields={}) from None


def report_job_request(
    *,
    user: User,
    kind: str,
    portfolio_id=None,
    initiative_id=None,
    gate: str | None = None,
    decision_id=None,
    municipality_id=None,
    period: str | None = None,
    filters: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[ReportJob, bool]:
    """Create a job (or return the one this key already made) and enqueue it after commit.

    Only what the user can see may be reported on; anything else is NotFound (404).
    The Excel kinds take the portfolio and `filters`, the list's query string.
    Returns (job, created).
    """
    if kind not in dict(ORDERABLE_KINDS):
        raise ValidationError({"kind": [_("Välj ett av dokumenten i listan.")]})
    key = f"user:{user.pk}:{idempotency_key or uuid.uuid4().hex}"[:120]
    existing = ReportJob.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    fields: dict = {"kind": kind, "requested_by": user, "idempotency_key": key}
    if kind == ReportKind.BOARD_REPORT:
        fields["portfolio"] = _get_visible(visible_portfolios(user), portfolio_id, "portfolio")
        fields["parameters"] = {"period": _period(period).label}
    elif kind in SPREADSHEET_KINDS:
        portfolio = _get_visible(visible_portfolios(user), portfolio_id, "portfolio")
        fields["portfolio"] = portfolio
        fields["parameters"] = spreadsheets.export_parameters(
            user=user, portfolio=portfolio, filters=filters
        )
        if idempotency_key is None:
            pending = _pending_same_export(user, fields)
            if pending is not None:
                return pending, False
    elif kind == ReportKind.DECISION_MEMO:
        decision = None
        if decision_id not in (None, ""):
            decision = _get_visible(
                GateDecision.objects.filter(initiative__in=visible_initiatives(user)),
                decision_id,
                "decision",
            )
            initiative = decision.initiative
            gate = decision.kind if decision.kind in Gate.values else gate
        else:
            initiative = _get_visible(visible_initiatives(user), initiative_id, "initiative")
        gate = gate or _next_gate(initiative)
        if gate not in Gate.values:
            raise ValidationError({"gate": [_("Välj en grind, G0–G3.")]})
        fields.update(
            initiative=initiative,
            portfolio=initiative.portfolio,
            decision=decision,
            parameters={"gate": gate},
        )
    else:
        municipality = _get_visible(visible_municipalities(user), municipality_id, "municipality")
        fields["municipality"] = municipality
        portfolio_ids = list(
            visible_portfolios(user)
            .filter(constellation__members=municipality)
            .values_list("id", flat=True)
            .distinct()
        )
        fields["parameters"] = {"period": _period(period).label, "portfolio_ids": portfolio_ids}
    with transaction.atomic():
        job = ReportJob(**fields)
        job.full_clean()
        job.save()
        transaction.on_commit(lambda: report_job_enqueue(job_id=job.pk))
    return job, True


def _pending_same_export(user: User, fields: dict) -> ReportJob | None:
    """A second click on the same export follows the job already under way."""
    pending = ReportJob.objects.filter(
        requested_by=user,
        kind=fields["kind"],
        portfolio=fields["portfolio"],
        status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING],
    ).order_by("-created_at", "-id")
    return next((job for job in pending if job.parameters == fields["parameters"]), None)


def _next_gate(initiative: Initiative) -> str | None:
    gate = next_gate(initiative)
    return str(gate) if gate else None


def report_job_enqueue(*, job_id: int) -> bool:
    """Hand the job to the broker. If it cannot be reached the job stays queued."""
    from .tasks import report_job_render

    try:
        # Retries and socket timeouts: CELERY_TASK_PUBLISH_RETRY_POLICY and the broker's
        # transport options (settings), so a hung broker fails within seconds.
        report_job_render.apply_async(args=[job_id], retry=True)
    except Exception:  # noqa: BLE001 - any broker failure leaves the job queued, never a 500
        logger.exception("Report job %s could not be sent to the broker", job_id)
        ReportJob.objects.filter(pk=job_id, status=ReportStatus.QUEUED).update(enqueue_failed=True)
        return False
    ReportJob.objects.filter(pk=job_id, status=ReportStatus.QUEUED).update(
        enqueue_failed=False, enqueued_at=timezone.now()
    )
    return True


def board_report_schedule(*, period: Period, notify: bool = True) -> list[ReportJob]:
    """The half-yearly board report of every portfolio; once per portfolio and period."""
    jobs = []
    for portfolio in Portfolio.objects.order_by("pk"):
        key = f"schedule:board_report:{portfolio.pk}:{period.label}"
        with transaction.atomic():
            job, created = ReportJob.objects.get_or_create(
                idempotency_key=key,
                defaults={
                    "kind": ReportKind.BOARD_REPORT,
                    "portfolio": portfolio,
                    "parameters": {"period": period.label},
                    "notify_directors": notify,
                },
            )
            if created:
                transaction.on_commit(lambda pk=job.pk: report_job_enqueue(job_id=pk))
        jobs.append(job)
    return jobs


def report_jobs_resend(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Send again the jobs the broker never got, and those whose worker was lost."""
    now = timezone.now()
    stuck = ReportJob.objects.filter(
        Q(status=ReportStatus.QUEUED, created_at__lt=now - older_than)
        & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - older_than))
        | Q(status=ReportStatus.RUNNING, started_at__lt=now - STALE_RUNNING)
    ).values_list("pk", flat=True)
    count = 0
    for job_id in list(stuck):
        count += report_job_enqueue(job_id=job_id)
    return count


# --- run ------------------------------------------------------------------------------


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Render the job's document and store it. Idempotent; never raises for a render error."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.warning("Report job %s does not exist; nothing to do", job_id)
            return None
        if job.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return job
        job.status = ReportStatus.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.enqueue_failed = False
        job.save(update_fields=["status", "started_at", "attempts", "enqueue_failed"])
    attempt = job.attempts
    logger.info("report.started job=%s kind=%s attempt=%s", job.pk, job.kind, job.attempts)
    try:
        rendered = render_job(job)
        stored = files.store(job, attempt, rendered.content)
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the job
        logger.exception("Report job %s failed", job_id)
        return _finish_failed(job_id, error)
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ReportStatus.DONE:
            # Another delivery of the same job finished first; its file stands.
            transaction.on_commit(lambda: files.discard(stored))
            return job
        _issue(job, stored, rendered)
        if job.notify_directors:
            transaction.on_commit(lambda: report_job_notify(job_id=job.pk))
    files.discard_other_attempts(job)
    return job


def _issue(job: ReportJob, stored: str, rendered: rendering.Rendered) -> None:
    """Record the document as issued; inside the transaction that holds the job's lock.

    The document lock comes first, so the time of issue follows the order of the chain."""
    if job.kind in ISSUED_KINDS:
        _lock_document(job)
    job.status = ReportStatus.DONE
    job.finished_at = timezone.now()
    job.file_path = stored
    job.file_size = len(rendered.content)
    job.sha256 = files.checksum(rendered.content)
    job.figures = rendered.figures
    job.failure_reason = ""
    fields = ["status", "finished_at", "file_path", "file_size", "sha256", "figures"]
    if job.kind in ISSUED_KINDS:
        job.replaces = _latest_issue(job)
        fields.append("replaces")
    job.save(update_fields=[*fields, "failure_reason"])
    if job.replaces_id:
        logger.info("report.reissued job=%s replaces=%s", job.pk, job.replaces_id)


def same_document(job: ReportJob) -> QuerySet[ReportJob]:
    """Issued jobs of the same document: kind and subject, and period or gate.

    A municipality report is personal (it covers what its requester sees), so only the
    same requester's earlier issue is the same document.
    """
    parameters = job.parameters or {}
    same = ReportJob.objects.filter(kind=job.kind, status=ReportStatus.DONE).exclude(pk=job.pk)
    if job.kind == ReportKind.BOARD_REPORT:
        return same.filter(portfolio_id=job.portfolio_id, parameters__period=parameters["period"])
    if job.kind == ReportKind.DECISION_MEMO:
        return same.filter(initiative_id=job.initiative_id, parameters__gate=parameters["gate"])
    if job.kind == ReportKind.MINUTES:
        return same.filter(parameters__meeting=parameters["meeting"])
    return same.filter(
        municipality_id=job.municipality_id,
        requested_by_id=job.requested_by_id,
        parameters__period=parameters["period"],
    )


def _document_key(job: ReportJob) -> str:
    parameters = job.parameters or {}
    subject = job.portfolio_id if job.kind == ReportKind.BOARD_REPORT else job.initiative_id
    if job.kind == ReportKind.MUNICIPALITY_REPORT:
        subject = f"{job.municipality_id}:{job.requested_by_id}"
    if job.kind == ReportKind.MINUTES:
        subject = parameters.get("meeting")
    return f"{job.kind}:{subject}:{parameters.get('period', '')}:{parameters.get('gate', '')}"


def _lock_document(job: ReportJob) -> None:
    """Two issues of the same document finishing at once take turns, so that each names
    the one before it (PostgreSQL; SQLite runs one writer at a time anyway)."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(_document_key(job).encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _latest_issue(job: ReportJob) -> ReportJob | None:
    latest = same_document(job).order_by("-finished_at", "-id").first()
    if latest is None or latest.successor is not None:
        # Only a chain broken by hand could get here; never take a successor away.
        return None
    return latest


def _finish_failed(job_id: int, error: Exception) -> ReportJob:
    reason = _(
        "Dokumentet kunde inte skapas (%(error)s). Beställ det igen; kvarstår felet, "
        "kontakta portföljkontoret."
    ) % {"error": type(error).__name__}
    if isinstance(error, spreadsheets.ExportRefused):
        reason = _("Exporten kunde inte skapas: den som beställde den ser inte längre portföljen.")
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ReportStatus.DONE:
            return job
        job.status = ReportStatus.FAILED
        job.failure_reason = reason
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "failure_reason", "finished_at"])
    return job


def render_job(job: ReportJob) -> rendering.Rendered:
    parameters = job.parameters or {}
    if job.kind in SPREADSHEET_KINDS:
        # The workbook is its own data; no separate figures are kept.
        return rendering.Rendered(spreadsheets.render_spreadsheet(job), None)
    if job.kind == ReportKind.BOARD_REPORT:
        return rendering.board_report(job.portfolio, parse_period(parameters["period"]))
    if job.kind == ReportKind.DECISION_MEMO:
        return rendering.decision_memo(job.initiative, parameters["gate"], job.decision)
    if job.kind == ReportKind.MINUTES:
        return minutes_rendering.minutes(parameters["meeting"])
    if job.kind == ReportKind.MUNICIPALITY_REPORT:
        user = job.requested_by
        return rendering.municipality_report(
            job.municipality, parse_period(parameters["period"]), user
        )
    raise ValueError(f"Unknown report kind {job.kind}")


def report_job_notify(*, job_id: int) -> int:
    """E-mail the portfolio's kommundirektörer a link to the finished board report."""
    job = ReportJob.objects.select_related("portfolio__constellation").get(pk=job_id)
    directors = User.objects.filter(
        holders_q([Role.DIRECTOR], timezone.localdate(), job.portfolio_id),
        is_active=True,
        municipality__in=job.portfolio.constellation.members.all(),
    ).exclude(email="")
    recipients = sorted(set(directors.values_list("email", flat=True)))
    if not recipients:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("reports:job", args=[job.pk])
    subject = _("Portföljrapport %(portfolio)s %(period)s") % {
        "portfolio": job.portfolio.name,
        "period": job.parameters.get("period", ""),
    }
    body = _(
        "Halvårets portföljrapport för %(portfolio)s är klar.\n\nHämta den här: %(link)s\n"
    ) % {"portfolio": job.portfolio.name, "link": link}
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def municipality_for(user, municipality_id) -> Municipality:
    return _get_visible(visible_municipalities(user), municipality_id, "municipality")
