"""A large Excel import runs as a job: the row the page and the API follow."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class ImportJob(models.Model):
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("portfölj"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("importerad av"),
    )
    kind = models.CharField(_("vad som importeras"), max_length=20)
    sheet = models.CharField(_("blad"), max_length=31, blank=True)
    rows = models.PositiveIntegerField(_("rader"), default=0)
    # The file itself, until the job has run: at most EXCEL_IMPORT_MAX_BYTES.
    content = models.BinaryField(_("fil"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    created = models.PositiveIntegerField(_("skapade"), default=0)
    updated = models.PositiveIntegerField(_("uppdaterade"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade"), default=0)
    # When refused: the file's errors and each row's, as the preview lists them.
    errors = models.JSONField(_("fel"), default=dict, blank=True)
    failure_reason = models.TextField(_("orsak till att importen inte gjordes"), blank=True)
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("importjobb")
        verbose_name_plural = _("importjobb")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)
