from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "kommundirektor", _("Kommundirektör")
    PROGRAM_MANAGER = "programledare", _("Programledare")
    IT_MANAGER = "it_chef", _("IT-chef")
    INITIATIVE_OWNER = "initiativagare", _("Initiativägare")
    COORDINATOR = "samordnare", _("Samordnare")
    READER = "lasare", _("Läsare")


class User(AbstractUser):
    """A person: staff of one municipality, holding one or more roles."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("kommun"),
    )
    title = models.CharField(_("titel"), max_length=120, blank=True)
    # The person's own choice of interface language; empty: the browser's language.
    language = models.CharField(_("språk"), max_length=8, blank=True, default="")
    # Bumped by every change the samordnare makes, so an edit from an outdated page or
    # API read is refused instead of overwriting someone else's change.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        # A list of people prefetches their roles; reading them again would cost a
        # query per row.
        if "role_assignments" in getattr(self, "_prefetched_objects_cache", {}):
            return frozenset(a.role for a in self.role_assignments.all())
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("användare")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                name="unique_role_per_user",
                violation_error_message=_("Användaren har redan den rollen."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("användare")
    )
    name = models.CharField(_("namn"), max_length=80)
    key_hash = models.CharField(_("nyckelns hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("början av nyckeln"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    expires_at = models.DateTimeField(_("upphör"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
