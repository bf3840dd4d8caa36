"""A body's meetings: the agenda (föredragningslista), who was present, and the
paragraphs (§) of its minutes (protokoll).

A recorded item is part of the minutes: its outcome, motivation and § are written once
(portfolio.services.meetings) and, once the minutes are justerade, never changed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    PLANNED = "planerat", _("Planerat")
    HELD = "genomfort", _("Genomfört, protokollet ojusterat")
    ADJUSTED = "justerat", _("Protokollet justerat")


class ItemKind(models.TextChoices):
    GATE = "grind", _("Grindbeslut")
    CANCEL = "avbryt", _("Fråga om att avbryta")
    AGREEMENT = "avtal", _("Avtal att säga upp eller förlänga")
    SETTLEMENT = "avrakning", _("Avräkning att låsa")
    REPORT = "rapport", _("Halvårsrapport att anmäla")
    OTHER = "ovrigt", _("Övrigt ärende")


class ItemOutcome(models.TextChoices):
    """A decision on an item. The first three are a gate decision's own outcomes
    (DecisionOutcome's values), so a gate item's outcome is the decision's."""

    APPROVED = "godkand", _("Godkänt")
    RETURNED = "aterremitterad", _("Återremitterat")
    REJECTED = "avslagen", _("Avslaget")
    NOTED = "noterat", _("Noterat")
    POSTPONED = "bordlagt", _("Bordlagt")


class Meeting(models.Model):
    body = models.ForeignKey(
        "portfolio.Body", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organ")
    )
    starts_at = models.DateTimeField(_("börjar"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    link = models.URLField(_("länk till mötet"), blank=True)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sekreterare"),
    )
    adjuster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("justerare"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("närvarande")
    )
    chair_adjusted_at = models.DateTimeField(_("justerat av ordföranden"), null=True, blank=True)
    adjuster_adjusted_at = models.DateTimeField(_("justerat av justeraren"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("planerat av"),
    )
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The kallelse: sent this many days before the meeting; the latest sending is held
    # here for the lists, every sending in AgendaSending.
    agenda_notice_days = models.PositiveSmallIntegerField(_("kallelse dagar före mötet"), default=7)
    agenda_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    agenda_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kallelse skickad av"),
    )

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["body", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.body} {self.starts_at:%Y-%m-%d}"

    @property
    def is_adjusted(self) -> bool:
        return self.status == MeetingStatus.ADJUSTED


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="items", verbose_name=_("möte")
    )
    order = models.PositiveSmallIntegerField(_("ordning"))
    kind = models.CharField(_("slag av ärende"), max_length=12, choices=ItemKind.choices)
    title = models.CharField(_("ärende"), max_length=200)
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("initiativ"),
    )
    # The gate (or "avbryt") the item asks the body to decide; a DecisionKind value.
    decision_kind = models.CharField(_("beslut"), max_length=6, blank=True)
    agreement = models.ForeignKey(
        "municipalities.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avtal"),
    )
    memo_reference = models.CharField(
        _("tjänsteskrivelse"),
        max_length=120,
        blank=True,
        help_text=_("Diarienummer eller namn på beslutsunderlaget."),
    )
    # Why the product proposed it, or what is missing ("alla kriterier utom ett").
    note = models.CharField(_("kommentar"), max_length=300, blank=True)
    outcome = models.CharField(_("beslut"), max_length=16, choices=ItemOutcome.choices, blank=True)
    motivation = models.TextField(_("motivering"), blank=True)
    # The § of the minutes: numbered per body and calendar year, held here with the
    # body and year so the database refuses a second item with the same §.
    paragraph = models.PositiveIntegerField(_("§"), null=True, blank=True)
    paragraph_body = models.ForeignKey(
        "portfolio.Body", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paragraph_year = models.PositiveSmallIntegerField(null=True, blank=True)
    decision = models.OneToOneField(
        "portfolio.GateDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_item",
        verbose_name=_("grindbeslut"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    recorded_at = models.DateTimeField(_("registrerat"), null=True, blank=True)

    class Meta:
        verbose_name = _("ärende på föredragningslistan")
        verbose_name_plural = _("ärenden på föredragningslistan")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph_body", "paragraph_year", "paragraph"],
                condition=Q(paragraph__isnull=False),
                name="one_paragraph_per_body_and_year",
                violation_error_message=_("Paragrafen finns redan i organets protokoll i år."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(paragraph__isnull=False),
                name="decided_item_has_paragraph",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    @property
    def requires_memo(self) -> bool:
        """A gate or a cancellation is decided on a tjänsteskrivelse; other matters
        may be brought without one."""
        return self.kind in (ItemKind.GATE, ItemKind.CANCEL)


class AgendaSending(models.Model):
    """One sending of the agenda to the body's members; never changed afterwards. The
    fingerprint is of the agenda as sent, so an unchanged agenda is not sent twice."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="sendings", verbose_name=_("möte")
    )
    sent_at = models.DateTimeField(_("skickad"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skickad av"),
    )
    fingerprint = models.CharField(_("föredragningslistan som skickad"), max_length=64)
    items = models.PositiveSmallIntegerField(_("antal ärenden"))
    late = models.BooleanField(_("skickad för sent"), default=False)

    class Meta:
        verbose_name = _("kallelse")
        verbose_name_plural = _("kallelser")
        ordering = ["meeting", "sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.sent_at:%Y-%m-%d %H:%M}"


class ServingSubstitute(models.Model):
    """A substitute (ersättare) serving at a meeting for a named absent member: in the
    minutes under "Tjänstgörande ersättare"."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="substitutes", verbose_name=_("möte")
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ersättare"),
    )
    serves_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tjänstgör för"),
    )

    class Meta:
        verbose_name = _("tjänstgörande ersättare")
        verbose_name_plural = _("tjänstgörande ersättare")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "substitute"], name="substitute_serves_once_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["meeting", "serves_for"], name="member_replaced_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.substitute} för {self.serves_for}"
