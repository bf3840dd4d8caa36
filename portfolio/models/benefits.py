from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EffectGoal(models.Model):
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        on_delete=models.CASCADE,
        related_name="effect_goals",
        verbose_name=_("initiativ"),
    )
    portfolio_goal = models.ForeignKey(
        "portfolio.PortfolioGoal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiative_goals",
        verbose_name=_("portföljens effektmål"),
    )
    name = models.CharField(_("effektmål"), max_length=200)
    indicator = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=40)
    baseline = models.DecimalField(
        _("nollvärde"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Measurements are compared with the baseline, so none can predate it.
    baseline_on = models.DateField(_("nollvärdets datum"), null=True, blank=True)
    target = models.DecimalField(
        _("målvärde"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benefit_goals",
        verbose_name=_("nyttoägare"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("effektmål")
        verbose_name_plural = _("effektmål")
        ordering = ["initiative", "id"]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    effect_goal = models.ForeignKey(
        EffectGoal,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("effektmål"),
    )
    measured_on = models.DateField(_("mätdatum"))
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=2)
    comment = models.CharField(_("kommentar"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    class Meta:
        verbose_name = _("mätvärde")
        verbose_name_plural = _("mätvärden")
        ordering = ["effect_goal", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["effect_goal", "measured_on"],
                name="one_measurement_per_day",
                violation_error_message=_("Det finns redan ett mätvärde för det datumet."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value}"


class PriorityCriterion(models.Model):
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.CASCADE,
        related_name="priority_criteria",
        verbose_name=_("portfölj"),
    )
    name = models.CharField(_("kriterium"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("vikt"), default=1)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("prioriteringskriterium")
        verbose_name_plural = _("prioriteringskriterier")
        ordering = ["portfolio", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "name"],
                name="unique_priority_criterion",
                violation_error_message=_("Portföljen har redan ett kriterium med det namnet."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100),
                name="priority_weight_range",
                violation_error_message=_("Vikten ska vara mellan 1 och 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PriorityScore(models.Model):
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        on_delete=models.CASCADE,
        related_name="priority_scores",
        verbose_name=_("initiativ"),
    )
    criterion = models.ForeignKey(
        PriorityCriterion,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("kriterium"),
    )
    score = models.PositiveSmallIntegerField(_("poäng"))

    class Meta:
        verbose_name = _("prioriteringspoäng")
        verbose_name_plural = _("prioriteringspoäng")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "criterion"],
                name="one_score_per_criterion",
                violation_error_message=_("Initiativet har redan poäng för kriteriet."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5),
                name="priority_score_one_to_five",
                violation_error_message=_("Poängen ska vara mellan 1 och 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
