from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import CollaborationForm, GovernanceMode
from .dates import add_months
from .models_history import ReferenceChange  # noqa: F401 - the app's models live here
from .models_organisations import Organisation

kommunkod_validator = RegexValidator(
    r"^\d{4}$", _("Kommunkoden ska bestå av fyra siffror, till exempel 0114.")
)
lanskod_validator = RegexValidator(r"^\d{2}$", _("Länskoden ska bestå av två siffror."))


class County(models.Model):
    code = models.CharField(_("länskod"), max_length=2, unique=True, validators=[lanskod_validator])
    name = models.CharField(_("namn"), max_length=80)

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(
        _("kommunkod"),
        max_length=4,
        unique=True,
        validators=[kommunkod_validator],
        error_messages={"unique": _("Det finns redan en kommun med den kommunkoden.")},
    )
    name = models.CharField(_("namn"), max_length=80)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("län")
    )

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{4}$"),
                name="municipality_code_four_digits",
                violation_error_message=_("Kommunkoden ska bestå av fyra siffror."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """Folkmängd on 31 December of `year`."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations", verbose_name=_("kommun")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    population = models.PositiveIntegerField(_("folkmängd"), validators=[MinValueValidator(1)])
    source = models.CharField(_("källa"), max_length=120, default="SCB")

    class Meta:
        verbose_name = _("folkmängd")
        verbose_name_plural = _("folkmängd")
        ordering = ["municipality", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="unique_population_per_year",
                violation_error_message=_("Kommunen har redan en folkmängd för det året."),
            ),
            models.CheckConstraint(
                condition=Q(population__gt=0),
                name="population_positive",
                violation_error_message=_("Folkmängden måste vara större än noll."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.population}"


class CollaborationArea(models.Model):
    name = models.CharField(_("namn"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("samverkansområde")
        verbose_name_plural = _("samverkansområden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Constellation(models.Model):
    """A named group of municipalities that collaborate (samverkanskonstellation)."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=30, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    members = models.ManyToManyField(
        Municipality, related_name="constellations", verbose_name=_("medlemmar")
    )
    governance_mode = models.CharField(
        _("styrningsform"),
        max_length=10,
        choices=GovernanceMode.choices,
        default=GovernanceMode.SHARED,
    )
    lead_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ledande kommun"),
    )
    collaboration_form = models.CharField(
        _("samverkansform"),
        max_length=20,
        choices=CollaborationForm.choices,
        default=CollaborationForm.INFORMAL,
    )
    host_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("värdkommun"),
    )
    # Members that are not municipalities (a kommunalförbund, a region): in force today,
    # dated by the membership history like the municipalities (membership.py).
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="constellations",
        verbose_name=_("organisationer"),
    )
    areas = models.ManyToManyField(
        CollaborationArea,
        blank=True,
        related_name="constellations",
        verbose_name=_("samverkansområden"),
    )

    class Meta:
        verbose_name = _("samverkanskonstellation")
        verbose_name_plural = _("samverkanskonstellationer")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(governance_mode="lead") | Q(lead_municipality__isnull=False),
                name="lead_organisation_names_lead",
                violation_error_message=_(
                    "Vid ledande organisation ska den ledande kommunen anges."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(collaboration_form="gemensam_namnd")
                | Q(host_municipality__isnull=False),
                name="joint_committee_names_host",
                violation_error_message=_("En gemensam nämnd ska ha en värdkommun."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


class Agreement(models.Model):
    title = models.CharField(_("benämning"), max_length=200)
    constellation = models.ForeignKey(
        Constellation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("konstellation"),
    )
    parties = models.ManyToManyField(
        Municipality, related_name="agreements", verbose_name=_("parter")
    )
    organisation_parties = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="agreements",
        verbose_name=_("parter (organisationer)"),
    )
    form = models.CharField(
        _("samverkansform"),
        max_length=20,
        choices=CollaborationForm.choices,
        default=CollaborationForm.AGREEMENT,
    )
    starts_on = models.DateField(_("gäller från"))
    ends_on = models.DateField(_("gäller till"))
    yearly_fee_per_party = models.PositiveIntegerField(
        _("årlig avgift per part (kr)"), null=True, blank=True
    )
    notice_period_months = models.PositiveSmallIntegerField(
        _("uppsägningstid (månader)"), default=6
    )
    registration_number = models.CharField(_("diarienummer"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("avtal")
        verbose_name_plural = _("avtal")
        ordering = ["ends_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("Avtalet måste upphöra efter att det börjat gälla."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def notice_deadline(self):
        """The last day to give notice: the end date less the notice period."""
        return add_months(self.ends_on, -self.notice_period_months)
