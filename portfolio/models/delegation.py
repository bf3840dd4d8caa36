from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DelegationDeleteRefused(Exception):
    """A delegation is a record of who could answer for the municipality: never deleted."""


class DelegationQuerySet(models.QuerySet):
    def delete(self):
        raise DelegationDeleteRefused("Delegeringar sparas som historik och tas inte bort.")

    def active(self, on=None):
        """Not revoked and not expired on the given day (today by default)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on), revoked_at=None)


class ParticipationDelegation(models.Model):
    """A kommundirektör lets another person of the municipality answer its participation.

    Revoking sets `revoked_at`/`revoked_by`; the row stays as history. That delegate and
    director belong to the delegation's municipality is checked by the service.
    """

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="participation_delegations",
        verbose_name=_("kommun"),
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="participation_delegations",
        verbose_name=_("delegat"),
    )
    delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("delegerad av"),
    )
    delegated_at = models.DateTimeField(_("delegerad"), auto_now_add=True)
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("återkallad av"),
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegering av deltagandebeslut")
        verbose_name_plural = _("delegeringar av deltagandebeslut")
        ordering = ["municipality", "-delegated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "delegate"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_delegation_per_delegate",
                violation_error_message=_(
                    "Personen har redan en delegering för kommunen. Återkalla den först."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(delegate=F("delegated_by")),
                name="delegation_not_to_oneself",
                violation_error_message=_("Du kan inte delegera till dig själv."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="delegation_revoked_names_who",
                violation_error_message=_("En återkallelse anger vem som återkallade."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.delegate}"

    def delete(self, *args, **kwargs):
        raise DelegationDeleteRefused("Delegeringar sparas som historik och tas inte bort.")
