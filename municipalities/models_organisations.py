from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import OrganisationKind

NUMBER_FORMAT = _(
    "Organisationsnumret ska skrivas NNNNNN-NNNN (sex siffror, bindestreck, fyra siffror), "
    "till exempel 232100-0164."
)
NUMBER_CHECK_DIGIT = _(
    "Organisationsnumret stämmer inte: kontrollsiffran (den sista) är fel. Kontrollera numret."
)


def luhn_valid(digits: str) -> bool:
    """The Luhn check used by Swedish personal and organisation numbers (all ten digits)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def validate_organisation_number(value: str) -> None:
    value = value or ""
    if (
        len(value) != 11
        or value[6] != "-"
        or not (value[:6] + value[7:]).isascii()
        or not (value[:6] + value[7:]).isdigit()
    ):
        raise ValidationError(NUMBER_FORMAT, code="format")
    if not luhn_valid(value[:6] + value[7:]):
        raise ValidationError(NUMBER_CHECK_DIGIT, code="check_digit")


class Organisation(models.Model):
    """A party that is not one of the 290 municipalities: a kommunalförbund, a region, a
    county board, a company, a university or another body. It can be a member of a
    constellation and a party to an agreement; the municipality-only rules (the
    population key, a kommundirektör's answers) do not apply to it."""

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        unique=True,
        validators=[validate_organisation_number],
        error_messages={
            "unique": _("Det finns redan en organisation med det organisationsnumret.")
        },
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation_number__regex=r"^[0-9]{6}-[0-9]{4}$"),
                name="organisation_number_format",
                violation_error_message=NUMBER_FORMAT,
            )
        ]

    def __str__(self) -> str:
        return self.name
