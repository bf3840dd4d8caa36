from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SettingsChange(models.Model):
    """Who changed which of the portfolio office's settings, when, and how.

    Initiative history (HistoryEntry) needs an initiative; settings belong to the
    portfolio, so they keep their own rows.
    """

    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.CASCADE,
        related_name="settings_changes",
        verbose_name=_("portfölj"),
    )
    entity = models.CharField(_("typ"), max_length=30)
    entity_id = models.PositiveBigIntegerField(_("id"))
    label = models.CharField(_("avser"), max_length=200, blank=True)
    action = models.CharField(_("händelse"), max_length=30)
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("ändring av inställning")
        verbose_name_plural = _("ändringar av inställningar")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["portfolio", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.entity} {self.entity_id} {self.action}"
