from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from municipalities.choices import CollaborationLevel
from samverkan.choice_labels import ChoiceLabels

from ..choices import (
    Area,
    Health,
    ParticipationStatus,
    SecurityClassification,
    Stage,
    TargetGroup,
)
from .stage_field import StageField, allow_stage_change


class Initiative(ChoiceLabels, models.Model):
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("portfölj"),
    )
    program = models.ForeignKey(
        "portfolio.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("program"),
    )
    reference = models.CharField(_("initiativnummer"), max_length=20, editable=False)
    # The number the initiative had where it came from (a portfolio workbook moved in),
    # so importing the same workbook again finds it instead of creating it twice.
    imported_reference = models.CharField(
        _("tidigare initiativnummer"), max_length=20, blank=True, editable=False
    )
    title = models.CharField(_("titel"), max_length=200)
    need = models.TextField(_("behov eller problem"), blank=True)
    expected_benefit = models.TextField(_("förväntad nytta"), blank=True)
    area = models.CharField(_("område"), max_length=10, choices=Area.choices, blank=True)
    target_group = models.CharField(
        _("målgrupp"), max_length=12, choices=TargetGroup.choices, blank=True
    )
    collaboration_level = models.PositiveSmallIntegerField(
        _("samverkansnivå"), choices=CollaborationLevel.choices, null=True, blank=True
    )
    proposing_municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="proposed_initiatives",
        verbose_name=_("föreslagen av kommun"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_initiatives",
        verbose_name=_("initiativägare"),
    )
    stage = StageField(_("steg"), max_length=16, choices=Stage.choices, default=Stage.IDEA)
    is_paused = models.BooleanField(_("pausad"), default=False)
    planned_start = models.DateField(_("planerad start"), null=True, blank=True)
    planned_end = models.DateField(_("planerat slut"), null=True, blank=True)
    registration_number = models.CharField(_("diarienummer"), max_length=40, blank=True)
    priority_score = models.DecimalField(
        _("prioriteringspoäng"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    prestudy_conclusion = models.TextField(_("förstudiens slutsats"), blank=True)
    security_classification = models.CharField(
        _("informationssäkerhetsklassning"),
        max_length=12,
        choices=SecurityClassification.choices,
        blank=True,
    )
    child_impact_analysis = models.TextField(
        _("barnkonsekvensanalys"),
        blank=True,
        help_text=_("Lämnas tom om ingen analys har gjorts; det anges då i beslutsunderlaget."),
    )
    implementation_plan = models.TextField(_("implementeringsplan"), blank=True)
    operation_owner = models.CharField(
        _("objektägare eller systemförvaltare"), max_length=160, blank=True
    )
    benefit_followup_plan = models.TextField(_("plan för nyttouppföljning"), blank=True)
    is_new = models.BooleanField(_("ny (3N)"), default=False)
    is_useful = models.BooleanField(_("nyttig (3N)"), default=False)
    is_used = models.BooleanField(_("nyttiggjord (3N)"), default=False)
    submitted_at = models.DateTimeField(_("inlämnad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The newest status report (by date, then id), kept by services.status: lists read
    # an initiative's health through one join instead of a search per row.
    latest_status = models.ForeignKey(
        "portfolio.StatusUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("senaste statusrapport"),
    )

    class Meta:
        verbose_name = _("initiativ")
        verbose_name_plural = _("initiativ")
        ordering = ["portfolio", "id"]
        indexes = [
            models.Index(fields=["portfolio", "stage"]),
            models.Index(fields=["program", "stage"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "reference"],
                name="unique_initiative_reference",
                violation_error_message=_("Initiativnumret används redan i portföljen."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="initiative_end_after_start",
                violation_error_message=_("Planerat slut kan inte ligga före planerad start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def refresh_from_db(self, *args, **kwargs):
        with allow_stage_change(self):
            super().refresh_from_db(*args, **kwargs)


LOCAL_DECISION_FIELDS = (
    "local_decision_body",
    "local_decision_on",
    "local_decision_reference",
    "local_diary_number",
)


class Participation(models.Model):
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("initiativ"),
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("kommun"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.INVITED,
    )
    joined_on = models.DateField(_("deltar från"), null=True, blank=True)
    left_on = models.DateField(_("lämnade"), null=True, blank=True)
    leave_reason = models.TextField(_("skäl för att lämna"), blank=True)
    implemented_on = models.DateField(_("implementerade"), null=True, blank=True)
    implementation_opted_out = models.BooleanField(_("avstår implementering"), default=False)
    is_late_implementer = models.BooleanField(
        _("implementerade i efterhand"), default=False, editable=False
    )
    # The municipality's own decision behind its answer (kommunstyrelsen or a nämnd),
    # kept beside the answer for the memo, the reports and the record.
    local_decision_body = models.CharField(
        _("kommunens beslutande organ"), max_length=120, blank=True
    )
    local_decision_on = models.DateField(_("kommunens beslutsdatum"), null=True, blank=True)
    local_decision_reference = models.CharField(
        _("paragraf i kommunens protokoll"), max_length=60, blank=True
    )
    local_diary_number = models.CharField(_("kommunens diarienummer"), max_length=60, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("deltagande")
        verbose_name_plural = _("deltaganden")
        ordering = ["initiative", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "municipality"],
                name="one_participation_per_municipality",
                violation_error_message=_("Kommunen har redan ett deltagande i initiativet."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="participation_left_after_joined",
                violation_error_message=_(
                    "Datumet för att lämna kan inte ligga före startdatumet."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="lamnat") | (Q(left_on__isnull=False) & ~Q(leave_reason="")),
                name="participation_left_needs_date_and_reason",
                violation_error_message=_("En kommun som lämnar ska ange datum och skäl."),
            ),
            models.CheckConstraint(
                condition=Q(local_decision_body="", local_decision_on__isnull=True)
                | (~Q(local_decision_body="") & Q(local_decision_on__isnull=False)),
                name="participation_local_decision_body_and_date",
                violation_error_message=_("Kommunens beslut anges med organ och datum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} i {self.initiative.reference}"

    @property
    def local_decision(self) -> str:
        """The municipality's decision as one line: "Kommunstyrelsen 2026-03-02 § 45, dnr
        KS 2026/12" (empty when none is recorded)."""
        if not self.local_decision_body:
            return ""
        parts = [self.local_decision_body, self.local_decision_on.isoformat()]
        if self.local_decision_reference:
            parts.append(self.local_decision_reference)
        text = " ".join(parts)
        if self.local_diary_number:
            text += ", " + _("dnr %(number)s") % {"number": self.local_diary_number}
        return text


class StatusUpdate(ChoiceLabels, models.Model):
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="status_updates",
        verbose_name=_("initiativ"),
    )
    reported_on = models.DateField(_("datum"))
    health_time = models.CharField(_("tid"), max_length=4, choices=Health.choices)
    health_cost = models.CharField(_("kostnad"), max_length=4, choices=Health.choices)
    health_quality = models.CharField(_("kvalitet"), max_length=4, choices=Health.choices)
    progress = models.PositiveSmallIntegerField(
        _("färdigställt (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.TextField(_("kommentar"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="status_updates",
        verbose_name=_("rapporterad av"),
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_updates",
        verbose_name=_("kommun"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")
        ordering = ["-reported_on", "-id"]
        # The latest report per initiative (filters.with_latest_health), in index order.
        indexes = [models.Index(fields=["initiative", "-reported_on", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="status_progress_percent",
                violation_error_message=_("Färdigställt anges i procent, 0–100."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative.reference} {self.reported_on}"


class HistoryEntry(models.Model):
    """Who changed what and when, for everything that belongs to an initiative."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="history", verbose_name=_("initiativ")
    )
    entity = models.CharField(_("typ"), max_length=30)
    entity_id = models.PositiveBigIntegerField(_("id"))
    action = models.CharField(_("händelse"), max_length=30)
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("historik")
        verbose_name_plural = _("historik")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["initiative", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.entity} {self.entity_id} {self.action}"
