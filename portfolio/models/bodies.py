from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import DecisionBody, Matter


class Body(models.Model):
    """A decision-making body of one portfolio (or of one of its programs).

    It decides the matters it is given; its chair or secretary records its decisions.
    A portfolio without bodies follows the default set-up: the portfolio board (the
    directors) decides G1, G3 and cancellation, each program's programledare G0 and G2,
    and the portfolio office records settlements (portfolio.policies).
    """

    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("portfölj"),
    )
    program = models.ForeignKey(
        "portfolio.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("program"),
        help_text=_("Tomt för ett organ som beslutar för hela portföljen."),
    )
    name = models.CharField(_("namn"), max_length=120)
    kind = models.CharField(_("slag av organ"), max_length=20, choices=DecisionBody.choices)
    matters = models.JSONField(_("beslutar om"), default=list)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ordförande"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sekreterare"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="bodies", verbose_name=_("ledamöter")
    )
    # Ersättare: called with the members; one serves at a meeting for an absent member
    # (ServingSubstitute). A person is a member or a substitute of a body, not both.
    substitutes = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="substitute_bodies",
        verbose_name=_("ersättare"),
    )
    is_active = models.BooleanField(_("aktivt"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("beslutande organ")
        verbose_name_plural = _("beslutande organ")
        ordering = ["portfolio", "program", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "name"],
                name="one_body_name_per_portfolio",
                violation_error_message=_("Portföljen har redan ett organ med det namnet."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def matter_labels(self) -> list[str]:
        return [str(Matter(m).label) for m in self.matters if m in Matter.values]
