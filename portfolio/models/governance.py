from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.choice_labels import ChoiceLabels

from ..choices import CriterionKind, DecisionBody, DecisionKind, DecisionOutcome, Gate, Stage


class GateCriterion(models.Model):
    """One line of a gate's checklist, editable per portfolio by the samordnare."""

    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.CASCADE,
        related_name="gate_criteria",
        verbose_name=_("portfölj"),
    )
    gate = models.CharField(_("grind"), max_length=2, choices=Gate.choices)
    label = models.CharField(_("kriterium"), max_length=200)
    kind = models.CharField(_("kontroll"), max_length=8, choices=CriterionKind.choices)
    system_check = models.CharField(
        _("systemkontroll"),
        max_length=40,
        blank=True,
        help_text=_(
            "Namnet på kontrollen som systemet gör, för kriterier som kontrolleras av systemet."
        ),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(_("aktivt"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("grindkriterium")
        verbose_name_plural = _("grindkriterier")
        ordering = ["portfolio", "gate", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="manuell") | ~models.Q(system_check=""),
                name="system_criterion_names_check",
                violation_error_message=_(
                    "Ett kriterium som systemet kontrollerar måste ange kontrollen."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.gate}: {self.label}"


class CriterionConfirmation(models.Model):
    """A person's confirmation that a manual criterion is met for an initiative."""

    initiative = models.ForeignKey(
        "portfolio.Initiative",
        on_delete=models.CASCADE,
        related_name="confirmations",
        verbose_name=_("initiativ"),
    )
    criterion = models.ForeignKey(
        GateCriterion,
        on_delete=models.CASCADE,
        related_name="confirmations",
        verbose_name=_("kriterium"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bekräftad av"),
    )
    confirmed_at = models.DateTimeField(_("bekräftad"), auto_now_add=True)
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bekräftat kriterium")
        verbose_name_plural = _("bekräftade kriterier")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "criterion"],
                name="one_confirmation_per_criterion",
                violation_error_message=_("Kriteriet är redan bekräftat för initiativet."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion} ({self.confirmed_by})"


class ImmutableRecordError(Exception):
    """Decisions are public records: they are never changed or deleted."""


class DecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError("Beslut är allmänna handlingar och kan inte ändras.")

    def delete(self):
        raise ImmutableRecordError("Beslut är allmänna handlingar och kan inte tas bort.")


class GateDecision(ChoiceLabels, models.Model):
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("initiativ"),
    )
    kind = models.CharField(_("beslut"), max_length=6, choices=DecisionKind.choices)
    outcome = models.CharField(_("utfall"), max_length=16, choices=DecisionOutcome.choices)
    stage_before = models.CharField(_("steg före"), max_length=16, choices=Stage.choices)
    stage_after = models.CharField(_("steg efter"), max_length=16, choices=Stage.choices)
    decided_on = models.DateField(_("beslutsdatum"))
    body = models.CharField(_("beslutande organ"), max_length=20, choices=DecisionBody.choices)
    meeting_reference = models.CharField(_("protokoll §"), max_length=60, blank=True)
    motivation = models.TextField(_("motivering"), blank=True)
    criteria_snapshot = models.JSONField(_("kriterier vid beslutet"), default=list)
    # Estimates, participants and allocation as they stood when the decision was
    # recorded (portfolio.selectors.decision_basis); empty for decisions from before.
    basis = models.JSONField(_("beslutsunderlag"), default=dict, blank=True)
    deciding_body = models.ForeignKey(
        "portfolio.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("organ"),
        help_text=_("Det organ i portföljen som fattade beslutet, när portföljen har sina egna."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)
    # Taken before the portfolio moved into the product and entered from its workbook:
    # the date, body and § are the original's; no criteria were checked here.
    imported = models.BooleanField(_("importerat"), default=False)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("rättar beslut"),
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["initiative", "-decided_on"]),
            # "Decisions since": the newest first across a portfolio, stopping at 50.
            models.Index(fields=["-decided_on", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_outcome_display()} {self.decided_on}"

    def save(self, *args, **kwargs):
        # A public record is written once; a correction is a new decision.
        if self.pk is not None:
            raise ImmutableRecordError("Beslut är allmänna handlingar och kan inte ändras.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Beslut är allmänna handlingar och kan inte tas bort.")

    @property
    def body_name(self) -> str:
        """The portfolio's own body by name, or the default set-up's body."""
        if self.deciding_body_id is not None:
            return self.deciding_body.name
        return str(self.get_body_display())
