from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..choices import AllocationMethod, CostKind, CostNature, DecisionBody


class CurrentCostEntries(models.Manager):
    """The entries that count: an estimate corrected after a decision rested on it is
    kept, for the record, but no longer counts (its correction does)."""

    def get_queryset(self):
        return super().get_queryset().filter(is_current=True)


class CostEntry(models.Model):
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        on_delete=models.PROTECT,
        related_name="costs",
        verbose_name=_("initiativ"),
    )
    kind = models.CharField(_("kostnadsslag"), max_length=10, choices=CostKind.choices)
    nature = models.CharField(_("estimat eller utfall"), max_length=8, choices=CostNature.choices)
    period = models.DateField(_("period"))
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))
    paid_by = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paid_costs",
        verbose_name=_("betalad av"),
    )
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("rättar posten"),
    )
    is_current = models.BooleanField(_("gäller"), default=True, editable=False)

    all_entries = models.Manager()
    objects = CurrentCostEntries()

    class Meta:
        # Related managers, forms and selectors see only the entries that count.
        default_manager_name = "objects"
        verbose_name = _("kostnad")
        verbose_name_plural = _("kostnader")
        ordering = ["initiative", "period", "id"]
        indexes = [
            models.Index(fields=["initiative", "period"]),
            models.Index(fields=["period"]),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.period} {self.amount} kr"


class TimeEntry(models.Model):
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("initiativ"),
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("kommun"),
    )
    period = models.DateField(_("period"))
    hours = models.DecimalField(_("timmar"), max_digits=8, decimal_places=2)
    role = models.CharField(_("roll"), max_length=80, blank=True)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("tidsinsats")
        verbose_name_plural = _("tidsinsatser")
        ordering = ["initiative", "period", "id"]
        indexes = [
            models.Index(fields=["initiative", "period"]),
            models.Index(fields=["period"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="time_entry_hours_positive",
                violation_error_message=_("Antalet timmar måste vara större än noll."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.municipality_id} {self.hours} h"


class AllocationKey(models.Model):
    """A dated version of the portfolio's fördelningsnyckel."""

    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.PROTECT,
        related_name="allocation_keys",
        verbose_name=_("portfölj"),
    )
    valid_from = models.DateField(_("gäller från"))
    method = models.CharField(
        _("metod"),
        max_length=16,
        choices=AllocationMethod.choices,
        default=AllocationMethod.POPULATION_AND_EQUAL,
    )
    population_weight = models.PositiveSmallIntegerField(_("andel efter folkmängd (%)"), default=80)
    equal_weight = models.PositiveSmallIntegerField(_("andel lika per kommun (%)"), default=20)
    population_year = models.PositiveSmallIntegerField(_("folkmängd per år"), default=2025)
    hourly_rate = models.PositiveIntegerField(_("timvärde (kr)"), default=700)
    yearly_fee_per_party = models.PositiveIntegerField(
        _("årlig avgift per part (kr)"), null=True, blank=True
    )
    decision_reference = models.CharField(_("beslut (protokoll §)"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("fördelningsnyckel")
        verbose_name_plural = _("fördelningsnycklar")
        ordering = ["portfolio", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "valid_from"],
                name="one_key_per_portfolio_date",
                violation_error_message=_(
                    "Portföljen har redan en fördelningsnyckel från det datumet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(population_weight__lte=100)
                & Q(equal_weight__lte=100)
                & Q(population_weight__gte=0)
                & Q(equal_weight__gte=0),
                name="allocation_weights_in_range",
                violation_error_message=_("Vikterna anges i hela procent, 0–100."),
            ),
            models.CheckConstraint(
                condition=Q(population_weight=100 - F("equal_weight")),
                name="allocation_weights_sum_to_100",
                violation_error_message=_("Andelen efter folkmängd och lika andel ska bli 100 %."),
            ),
            models.CheckConstraint(
                condition=~Q(method="fast_avgift") | Q(yearly_fee_per_party__isnull=False),
                name="fixed_fee_key_names_fee",
                violation_error_message=_("Metoden fast avgift kräver en årlig avgift per part."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} från {self.valid_from}"


class SettledPeriod(models.Model):
    """A closed period whose allocation is frozen; a later key never rewrites it."""

    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.PROTECT,
        related_name="settled_periods",
        verbose_name=_("portfölj"),
    )
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"))
    key = models.ForeignKey(
        AllocationKey,
        on_delete=models.PROTECT,
        related_name="settled_periods",
        verbose_name=_("fördelningsnyckel"),
    )
    result = models.JSONField(_("fastställd fördelning"), default=dict)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fastställd av"),
    )
    settled_at = models.DateTimeField(_("fastställd"), auto_now_add=True)
    # Locking a period is the board's decision, recorded from its minutes; settlements
    # from before this was asked have no date of decision.
    body = models.CharField(
        _("beslutande organ"),
        max_length=20,
        choices=DecisionBody.choices,
        default=DecisionBody.BOARD,
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    meeting_reference = models.CharField(_("protokoll §"), max_length=60, blank=True)
    deciding_body = models.ForeignKey(
        "portfolio.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlements",
        verbose_name=_("organ"),
    )

    class Meta:
        verbose_name = _("avräknad period")
        verbose_name_plural = _("avräknade perioder")
        ordering = ["portfolio", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "starts_on", "ends_on"],
                name="one_settlement_per_period",
                violation_error_message=_("Perioden är redan avräknad."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="settled_period_ends_after_start",
                violation_error_message=_("Periodens slut kan inte ligga före dess början."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} {self.starts_on}–{self.ends_on}"
