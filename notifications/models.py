"""What a person is told, and how each person wants to be told about each kind.

A notification is stored once per recipient and event: the dedupe key names the event
(the decision, the invitation, the reminder's period), and the unique constraint keeps a
redelivered job or a second call from making a second one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    IDEA_SUBMITTED = "ide", _("En idé har kommit in")
    INVITATION = "inbjudan", _("En inbjudan väntar på svar")
    DECISION = "beslut", _("Ett grindbeslut har fattats")
    STATUS_RED = "rod_status", _("Status har blivit röd")
    AGREEMENT_NOTICE = "avtal", _("Sista dag för uppsägning av avtal närmar sig")
    STATUS_REPORT_DUE = "statusrapport", _("Statusrapport saknas")
    MEASUREMENT_DUE = "matvarde", _("Mätvärde saknas")
    AGENDA = "kallelse", _("Kallelse till möte")


class Mode(models.TextChoices):
    IMMEDIATE = "direkt", _("Direkt via e-post")
    DIGEST = "sammanfattning", _("Daglig sammanfattning via e-post")
    OFF = "av", _("Av")


class Delivery(models.TextChoices):
    """How the notification's e-mail goes out; fixed when it is created."""

    IMMEDIATE = "direkt", _("Direkt")
    DIGEST = "sammanfattning", _("Daglig sammanfattning")
    NONE = "ingen", _("Ingen e-post")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("mottagare"),
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("meddelande"))
    # A path within the product; the e-mail puts SITE_URL before it.
    link = models.CharField(_("länk"), max_length=300)
    dedupe_key = models.CharField(_("händelse"), max_length=200)
    delivery = models.CharField(
        _("e-post"), max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="one_notification_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["delivery", "emailed_at"], name="notification_unsent"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row the kind is sent immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    mode = models.CharField(_("val"), max_length=20, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("val för aviseringar")
        verbose_name_plural = _("val för aviseringar")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.mode}"
