"""Archive exports ordered from the pages: the samordnare orders, a worker writes the
.zip (portfolio.archive) into the shared file storage with its SHA-256, and the row
says how it went. An export is kept; nothing here deletes one."""

import hashlib
import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policies
from ..archive import archive_filename, write_portfolio_archive
from ..models import ArchiveExport, ArchiveExportStatus, Portfolio
from .errors import DomainError, NotAllowedError

logger = logging.getLogger(__name__)

ARCHIVES_DIR = "archives"
REFUSAL = gettext_lazy("Bara portföljens samordnare skapar och hämtar arkivexporter.")


def require_archivist(actor, portfolio: Portfolio) -> None:
    if not policies.can_export_archive(actor, portfolio):
        raise NotAllowedError(REFUSAL)


@transaction.atomic
def archive_export_request(*, actor, portfolio: Portfolio) -> ArchiveExport:
    """Order an archive; the worker makes it after commit. One at a time per portfolio."""
    require_archivist(actor, portfolio)
    Portfolio.objects.select_for_update().filter(pk=portfolio.pk).first()
    waiting = portfolio.archive_exports.filter(
        status__in=(ArchiveExportStatus.QUEUED, ArchiveExportStatus.RUNNING)
    ).exists()
    if waiting:
        raise DomainError(
            _("En arkivexport av portföljen pågår redan. Vänta tills den är klar."),
            rule="archive_export_running",
        )
    export = ArchiveExport.objects.create(portfolio=portfolio, requested_by=actor)
    from ..tasks import archive_export_make

    transaction.on_commit(lambda: archive_export_make.delay(export.pk))
    return export


def _finish(export_id: int, **fields) -> None:
    ArchiveExport.objects.filter(pk=export_id).update(finished_at=timezone.now(), **fields)


def archive_export_run(*, export_id: int) -> ArchiveExport | None:
    """Write the archive. Idempotent: a finished or running export is left as it is."""
    with transaction.atomic():
        export = ArchiveExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != ArchiveExportStatus.QUEUED:
            return export
        export.status = ArchiveExportStatus.RUNNING
        export.save(update_fields=["status"])
    export = ArchiveExport.objects.select_related("portfolio__constellation").get(pk=export_id)
    try:
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / archive_filename(export.portfolio, timezone.localdate())
            result = write_portfolio_archive(export.portfolio, local)
            digest = hashlib.sha256()
            with local.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
                handle.seek(0)
                name = default_storage.save(
                    f"{ARCHIVES_DIR}/{export.pk}-{local.name}", File(handle)
                )
            _finish(
                export_id,
                status=ArchiveExportStatus.DONE,
                file_name=name,
                size=local.stat().st_size,
                sha256=digest.hexdigest(),
                records=sum(result.counts.values()),
                documents=result.pdfs + result.attachments,
            )
    except Exception:  # noqa: BLE001 - every failure is recorded on the export
        logger.exception("Archive export %s failed", export_id)
        _finish(
            export_id,
            status=ArchiveExportStatus.FAILED,
            failure_reason=_(
                "Arkivet kunde inte skapas. Försök igen eller kontakta förvaltningen."
            ),
        )
    return ArchiveExport.objects.get(pk=export_id)


def open_archive(export: ArchiveExport):
    """The finished export's file for reading, or None when the storage lacks it."""
    if export.status != ArchiveExportStatus.DONE or not export.file_name:
        return None
    try:
        return default_storage.open(export.file_name, "rb")
    except FileNotFoundError:
        return None
