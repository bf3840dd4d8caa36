"""A report is a job row with a lifecycle the page and the API poll.

Once done, a job is an issued document: its file, checksum and figures are what was
issued and are never rewritten. Ordering the same document again issues a new one that
names the one it replaces (`replaces`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.excel.writer import XLSX_CONTENT_TYPE


class ReportKind(models.TextChoices):
    BOARD_REPORT = "board_report", _("Portföljrapport")
    DECISION_MEMO = "decision_memo", _("Beslutsunderlag")
    MUNICIPALITY_REPORT = "municipality_report", _("Kommunrapport")
    INITIATIVES_XLSX = "initiatives_xlsx", _("Initiativlista (Excel)")
    ENTRIES_XLSX = "entries_xlsx", _("Kostnader och tid (Excel)")
    MINUTES = "minutes", _("Protokoll")


# Large Excel exports run as jobs too; their file is a workbook, not a PDF.
SPREADSHEET_KINDS = frozenset({ReportKind.INITIATIVES_XLSX, ReportKind.ENTRIES_XLSX})
# The documents that are issued (PDF/A, figures kept, versions chained); an Excel
# export is a personal working copy of a list.
ISSUED_KINDS = frozenset(
    {
        ReportKind.BOARD_REPORT,
        ReportKind.DECISION_MEMO,
        ReportKind.MUNICIPALITY_REPORT,
        ReportKind.MINUTES,
    }
)
# Minutes are issued when a meeting's minutes are justerade (reports.minutes), never
# ordered from the report form or the API.
ORDERABLE_KINDS = [(value, label) for value, label in ReportKind.choices if value != "minutes"]
PDF_CONTENT_TYPE = "application/pdf"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Skapas")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


FINISHED_STATUSES = frozenset({ReportStatus.DONE, ReportStatus.FAILED})


class ReportJob(models.Model):
    kind = models.CharField(_("dokument"), max_length=24, choices=ReportKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    failure_reason = models.TextField(_("orsak till att det misslyckades"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("beställd av"),
        help_text=_("Tom när rapporten beställdes av schemat."),
    )
    parameters = models.JSONField(_("parametrar"), default=dict, blank=True)
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("portfölj"),
    )
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("initiativ"),
    )
    decision = models.ForeignKey(
        "portfolio.GateDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("beslut"),
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("kommun"),
    )
    idempotency_key = models.CharField(_("idempotensnyckel"), max_length=120, unique=True)
    notify_directors = models.BooleanField(_("meddela kommundirektörerna"), default=False)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    enqueue_failed = models.BooleanField(
        _("kunde inte skickas till bakgrundstjänsten"), default=False
    )
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("skickad till kön"), null=True, blank=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    file_path = models.CharField(_("fil"), max_length=255, blank=True)
    file_size = models.PositiveIntegerField(_("filstorlek (byte)"), null=True, blank=True)
    sha256 = models.CharField(
        _("kontrollsumma (SHA-256)"),
        max_length=64,
        blank=True,
        help_text=_("Sparad när dokumentet utfärdades; varje hämtning kontrolleras mot den."),
    )
    figures = models.JSONField(
        _("siffror"),
        null=True,
        blank=True,
        help_text=_("Uppgifterna som dokumentet skrevs ut från, som de var när det utfärdades."),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("ersätter"),
        help_text=_("Den tidigare utgåvan av samma dokument."),
    )

    class Meta:
        verbose_name = _("rapportjobb")
        verbose_name_plural = _("rapportjobb")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file_path=""),
                name="report_done_has_file",
                violation_error_message=_("En klar rapport ska ha en fil."),
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""),
                name="report_failed_has_reason",
                violation_error_message=_("En misslyckad rapport ska ange orsaken."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def is_issued_kind(self) -> bool:
        return self.kind in ISSUED_KINDS

    @property
    def successor(self) -> "ReportJob | None":
        """The newer version that replaces this document, if any."""
        try:
            return self.replaced_by
        except ReportJob.DoesNotExist:
            return None

    @property
    def is_spreadsheet(self) -> bool:
        return self.kind in SPREADSHEET_KINDS

    @property
    def file_extension(self) -> str:
        return "xlsx" if self.is_spreadsheet else "pdf"

    @property
    def content_type(self) -> str:
        return XLSX_CONTENT_TYPE if self.is_spreadsheet else PDF_CONTENT_TYPE
