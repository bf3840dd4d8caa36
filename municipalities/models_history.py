from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ChangeAction, ChangeSubject


class ReferenceChange(models.Model):
    """Who changed reference data that decides what people see, do and pay, when, what
    and why: constellation membership, agreements and people's roles. Written in the same
    transaction as the change; never edited."""

    subject = models.CharField(_("avser"), max_length=20, choices=ChangeSubject.choices)
    subject_id = models.PositiveBigIntegerField(_("id"))
    # The name at the time of the change; a later rename does not rewrite history.
    subject_name = models.CharField(_("namn"), max_length=200)
    action = models.CharField(_("händelse"), max_length=20, choices=ChangeAction.choices)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommun"),
    )
    organisation = models.ForeignKey(
        "municipalities.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # The day a membership change takes effect, when it is not the day it was recorded
    # (a decision registered afterwards); empty: the day of `created_at`.
    effective_on = models.DateField(_("gäller från"), null=True, blank=True)
    # What was granted, revoked or changed, as stored (a role; an agreement's field
    # names, comma-separated); shown by its label.
    detail = models.CharField(_("uppgift"), max_length=300, blank=True)
    reason = models.CharField(_("motivering"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("ändring av referensdata")
        verbose_name_plural = _("ändringar av referensdata")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.subject_name}: {self.get_action_display()}"
