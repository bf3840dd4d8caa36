"""A large import runs as a job, so no request holds a web worker while it writes.

Applying an import checks every row again and writes them one by one through the
services (history, numbering): 2 000 new initiatives took 65 s on SQLite and 139–173 s
on PostgreSQL on the shared machine (2026-12-05, load 6–14). A file of more than
EXCEL_IMPORT_SYNC_MAX_ROWS rows is stored with a job row and applied by a Celery task
after commit. The job's status and its result (what was created, or every error) are
stored on the row, and the import and the job's outcome are one transaction: all rows
and "done", or no rows.

The two steps of an import, a preview that hands out a token and the confirmation that
redeems it, live here too, so the page and the API cannot take them differently.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ImportJob, ImportJobStatus, Portfolio
from ..services.errors import DomainError
from . import tokens
from .imports import import_apply, import_preview
from .preview import ImportRefused, ImportResult, Preview
from .refusal import FileRefused

logger = logging.getLogger(__name__)

DEFAULT_SYNC_MAX_ROWS = 200


def sync_max_rows() -> int:
    return getattr(settings, "EXCEL_IMPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS)


def runs_as_job(rows: int) -> bool:
    return rows > sync_max_rows()


def preview_for_confirmation(
    *, actor, portfolio: Portfolio, kind: str, content: bytes, sheet: str
) -> tuple[Preview, str]:
    """Check an uploaded file without writing, for the page and the API alike. A file
    whose rows all pass comes back with the token that confirms it; otherwise ""."""
    preview = import_preview(
        actor=actor, portfolio=portfolio, kind=kind, content=content, sheet_name=sheet
    )
    if not preview.is_valid:
        return preview, ""
    token = tokens.pack(
        content,
        user_id=actor.pk,
        portfolio_id=portfolio.pk,
        kind=kind,
        sheet=sheet,
        rows=len(preview.rows),
    )
    return preview, token


def confirm_previewed_import(
    *, actor, portfolio: Portfolio, kind: str, token: str
) -> ImportJob | ImportResult:
    """Carry out a previewed import for the page and the API alike: a large file becomes
    a job, a small one is written now. Raises FileRefused for a bad or foreign token and
    ImportRefused when the rows no longer pass."""
    content, sheet, rows = tokens.unpack(
        token, user_id=actor.pk, portfolio_id=portfolio.pk, kind=kind
    )
    if runs_as_job(rows):
        return import_job_request(
            actor=actor, portfolio=portfolio, kind=kind, content=content, sheet=sheet, rows=rows
        )
    return import_apply(
        actor=actor, portfolio=portfolio, kind=kind, content=content, sheet_name=sheet
    )


def import_job_request(
    *, actor, portfolio: Portfolio, kind: str, content: bytes, sheet: str, rows: int
) -> ImportJob:
    """Store the file as a job and hand it to the task queue after commit."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            portfolio=portfolio,
            requested_by=actor,
            kind=kind,
            sheet=sheet or "",
            rows=rows,
            content=content,
        )
        transaction.on_commit(lambda: import_job_enqueue(job_id=job.pk))
    return job


def import_job_enqueue(*, job_id: int) -> bool:
    from ..tasks import import_job_apply

    try:
        import_job_apply.apply_async(args=[job_id], retry=True)
    except Exception:  # noqa: BLE001 - a broker failure leaves the job queued, never a 500
        logger.exception("Import job %s could not be sent to the broker", job_id)
        return False
    return True


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Apply the job's file. Idempotent: a finished job is left as it is."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return job
        job.status = ImportJobStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    job = ImportJob.objects.select_related("portfolio__constellation", "requested_by").get(
        pk=job_id
    )
    try:
        with transaction.atomic():
            result = import_apply(
                actor=job.requested_by,
                portfolio=job.portfolio,
                kind=job.kind,
                content=bytes(job.content),
                sheet_name=job.sheet or None,
            )
            _finish(
                job_id,
                status=ImportJobStatus.DONE,
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
            )
    except ImportRefused as refused:
        _finish(
            job_id,
            status=ImportJobStatus.FAILED,
            failure_reason=str(refused.message),
            errors=refused.preview.errors_by_place(),
        )
    except (FileRefused, DomainError) as refused:
        _finish(job_id, status=ImportJobStatus.FAILED, failure_reason=str(refused))
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the job
        logger.exception("Import job %s failed", job_id)
        _finish(
            job_id,
            status=ImportJobStatus.FAILED,
            failure_reason=_(
                "Importen kunde inte göras (%(error)s) och ingenting har sparats. "
                "Försök igen; kvarstår felet, kontakta portföljkontoret."
            )
            % {"error": type(error).__name__},
        )
    return ImportJob.objects.get(pk=job_id)


def _finish(job_id: int, **fields) -> None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        for name, value in fields.items():
            setattr(job, name, value)
        job.finished_at = timezone.now()
        job.content = b""  # the file is not kept once it has been applied or refused
        job.save()


def import_job_for(user, portfolio: Portfolio, job_id: int) -> ImportJob | None:
    """The job, when `user` asked for it in this portfolio."""
    return ImportJob.objects.filter(pk=job_id, portfolio=portfolio, requested_by=user).first()


def import_job_summary(job: ImportJob) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "kind": job.kind,
        "rows": job.rows,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "failure_reason": job.failure_reason,
        "errors": job.errors,
    }
