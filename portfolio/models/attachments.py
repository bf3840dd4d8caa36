"""An attachment (bilaga): a file filed on an initiative, a decision or an agreement.

What a decision or an agreement rests on must not vanish, so an attachment is written
once and never changed or deleted; a later version is a new attachment that names the
one it supersedes. The model refuses here, and on PostgreSQL the database refuses too
(migration attachments_are_immutable), as for decisions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .governance import ImmutableRecordError

CHANGE_REFUSED = "En bilaga ändras aldrig; ladda upp en ny version i stället."
DELETE_REFUSED = "En bilaga tas aldrig bort; ladda upp en ny version i stället."


class AttachmentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError(CHANGE_REFUSED)

    def delete(self):
        raise ImmutableRecordError(DELETE_REFUSED)


class Attachment(models.Model):
    # Exactly one parent (the check constraint below).
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("initiativ"),
    )
    decision = models.ForeignKey(
        "portfolio.GateDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("beslut"),
    )
    agreement = models.ForeignKey(
        "municipalities.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("avtal"),
    )
    # The name in the shared file storage, chosen by the server (services.attachments).
    file = models.FileField(_("fil"), max_length=255)
    original_name = models.CharField(_("filnamn"), max_length=255)
    # Found from the bytes (domain.file_types), never taken from the upload.
    content_type = models.CharField(_("filtyp"), max_length=120)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    # One-to-one: a version has at most one later version, so the versions form a line.
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("ersätter"),
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="attachment_has_exactly_one_parent",
                condition=(
                    Q(initiative__isnull=False, decision__isnull=True, agreement__isnull=True)
                    | Q(initiative__isnull=True, decision__isnull=False, agreement__isnull=True)
                    | Q(initiative__isnull=True, decision__isnull=True, agreement__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRecordError(CHANGE_REFUSED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(DELETE_REFUSED)

    @property
    def parent(self):
        return self.initiative or self.decision or self.agreement
