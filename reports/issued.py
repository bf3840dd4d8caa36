"""Reading an issued document back: the checked bytes, its versions, its figures.

Pages and API both come here, so a reader gets the same answer either way: the bytes
that were issued, or a Swedish explanation (never a 500) when the stored file is gone or
no longer matches the checksum recorded at issue. Every such refusal is logged as an
error, since it means the archive copy needs restoring from backup.
"""

from __future__ import annotations

import logging

from django.core.files.base import File
from django.utils.translation import gettext_lazy as _

from portfolio.services.errors import DomainError

from . import files, selectors
from .models import ReportJob, ReportStatus

logger = logging.getLogger(__name__)


class DocumentMissing(DomainError):
    status_code = 410
    rule = "document_missing"


class DocumentAltered(DomainError):
    status_code = 409
    rule = "document_altered"


MISSING = _(
    "Dokumentet finns inte längre i fillagringen och kan inte hämtas. Kontakta "
    "portföljkontoret: det kan återställas från säkerhetskopian."
)
ALTERED = _(
    "Den lagrade filen stämmer inte med kontrollsumman som sparades när dokumentet "
    "utfärdades, så den lämnas inte ut. Kontakta portföljkontoret: dokumentet kan "
    "återställas från säkerhetskopian."
)


def document(job: ReportJob) -> File:
    """The finished job's file as issued; the caller has checked that the user may see
    the job. Raises DocumentMissing or DocumentAltered."""
    try:
        return files.open_verified(job)
    except files.StoredFileMissing:
        logger.error("report.file_missing job=%s file=%s", job.pk, job.file_path)
        raise DocumentMissing(MISSING) from None
    except files.StoredFileAltered:
        logger.error(
            "report.checksum_mismatch job=%s file=%s expected=%s",
            job.pk,
            job.file_path,
            job.sha256,
        )
        raise DocumentAltered(ALTERED) from None


def versions(user, job: ReportJob) -> tuple[ReportJob | None, ReportJob | None]:
    """(the issue this one replaces, the issue that replaces it), each only if the user
    may see it."""
    older = selectors.report_job_for(user, job.replaces_id) if job.replaces_id else None
    successor = job.successor
    newer = selectors.report_job_for(user, successor.pk) if successor else None
    return older, newer


def has_figures(job: ReportJob) -> bool:
    return job.status == ReportStatus.DONE and job.figures is not None
