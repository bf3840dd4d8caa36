"""An archive export of one portfolio, ordered from the pages: the row the samordnare
follows while the worker writes the .zip into the shared file storage."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .import_jobs import ImportJobStatus

# The same four states as an import job: one set of choices for the portfolio's jobs.
ArchiveExportStatus = ImportJobStatus


class ArchiveExport(models.Model):
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.PROTECT,
        related_name="archive_exports",
        verbose_name=_("portfölj"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beställd av"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ArchiveExportStatus.choices,
        default=ArchiveExportStatus.QUEUED,
    )
    # The name in the shared file storage (default_storage), set once the file is whole.
    file_name = models.CharField(_("fil"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True)
    records = models.PositiveIntegerField(_("poster"), default=0)
    documents = models.PositiveIntegerField(_("dokument"), default=0)
    failure_reason = models.TextField(_("orsak till att arkivet inte skapades"), blank=True)
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("arkivexport")
        verbose_name_plural = _("arkivexporter")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.portfolio_id} {self.created_at:%Y-%m-%d} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ArchiveExportStatus.DONE, ArchiveExportStatus.FAILED)
