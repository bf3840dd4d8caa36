from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Portfolio(models.Model):
    name = models.CharField(_("namn"), max_length=160)
    constellation = models.ForeignKey(
        "municipalities.Constellation",
        on_delete=models.PROTECT,
        related_name="portfolios",
        verbose_name=_("konstellation"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    reference_prefix = models.CharField(
        _("prefix för initiativnummer"),
        max_length=10,
        help_text=_("Till exempel DAL; initiativen numreras DAL-1, DAL-2 …"),
    )
    next_board_meeting = models.DateField(
        _("nästa möte i portföljstyrgruppen"), null=True, blank=True
    )
    sender = models.CharField(
        _("avsändare av beslutsunderlag"),
        max_length=160,
        blank=True,
        help_text=_("Till exempel portföljkontoret eller kommunledningskontoret."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("portfölj")
        verbose_name_plural = _("portföljer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_prefix"],
                name="unique_portfolio_prefix",
                violation_error_message=_("Prefixet används redan av en annan portfölj."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PortfolioGoal(models.Model):
    """An effect goal of the portfolio, tied to the political goals."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="goals", verbose_name=_("portfölj")
    )
    title = models.CharField(_("effektmål"), max_length=200)
    political_goal = models.CharField(_("politiskt mål"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("effektmål för portföljen")
        verbose_name_plural = _("effektmål för portföljen")
        ordering = ["portfolio", "id"]

    def __str__(self) -> str:
        return self.title


class Program(models.Model):
    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.PROTECT, related_name="programs", verbose_name=_("portfölj")
    )
    name = models.CharField(_("namn"), max_length=160)
    description = models.TextField(_("beskrivning"), blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_programs",
        verbose_name=_("programledare"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["portfolio", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "name"],
                name="unique_program_name_in_portfolio",
                violation_error_message=_("Portföljen har redan ett program med det namnet."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProgramBudget(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.PositiveBigIntegerField(_("budget (kr)"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("programbudget")
        verbose_name_plural = _("programbudgetar")
        ordering = ["program", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year"],
                name="unique_budget_per_program_year",
                violation_error_message=_("Programmet har redan en budget för det året."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="budget_year_in_range",
                violation_error_message=_("Budgetåret ska ligga mellan 2000 och 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.year}"
