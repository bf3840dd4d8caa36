from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
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
    def role_grants(self) -> tuple:
        """The person's roles in force today, with their scope (`accounts.roles`).

        A list of people prefetches their assignments; reading them again would cost a
        query per row. Ended and future assignments are history, not grants."""
        from .roles import in_force

        if "role_assignments" in getattr(self, "_prefetched_objects_cache", {}):
            assignments = self.role_assignments.all()
        else:
            assignments = self.role_assignments.only(
                "role", "portfolio_id", "program_id", "starts_on", "ends_on"
            )
        return in_force(assignments, timezone.localdate())

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles the person holds today somewhere (in some portfolio or program, or
        everywhere): for menus and lists of their work. A permission on an object of a
        portfolio asks `roles_in` with that portfolio instead."""
        return frozenset(g.role for g in self.role_grants)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def roles_in(self, portfolio_id, program_id=None) -> frozenset[str]:
        from .roles import roles_in

        return roles_in(self.role_grants, portfolio_id, program_id)

    def holds(self, portfolio_id, *roles: str, program_id=None) -> bool:
        """One of `roles` holds today for this portfolio (and program, if given)."""
        return bool(self.roles_in(portfolio_id, program_id).intersection(roles))

    def holds_everywhere(self, *roles: str) -> bool:
        """One of `roles` holds today without a scope: for what is not one portfolio's
        (managing people, a municipality's delegations, starting a portfolio)."""
        from .roles import roles_in

        return bool(roles_in(self.role_grants, None).intersection(roles))


class RoleAssignment(models.Model):
    """A role granted to a person: everywhere their municipality sees (no scope), in one
    portfolio, or in one program (its portfolio is stored with it). Ending a role sets
    `ends_on`; the record stays as history and is never deleted."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("användare")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("portfölj"),
    )
    program = models.ForeignKey(
        "portfolio.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("program"),
    )
    # Empty: since before dates were kept (the roles of the first releases).
    starts_on = models.DateField(_("gäller från"), null=True, blank=True)
    # The first day the role no longer holds; empty: until further notice.
    ends_on = models.DateField(_("upphör från och med"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given av"),
    )
    granted_at = models.DateTimeField(_("given"), default=timezone.now)
    ended_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avslutad av"),
    )
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        ordering = ["role", "portfolio_id", "program_id", "-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="role_ends_after_start",
                violation_error_message=_("En roll kan inte upphöra innan den börjar gälla."),
            ),
            models.CheckConstraint(
                condition=models.Q(program__isnull=True) | models.Q(portfolio__isnull=False),
                name="role_program_within_portfolio",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"

    def clean(self):
        # A program's role holds in the program's portfolio; the admin may name only the
        # program.
        if self.program_id is not None:
            if self.portfolio_id is None:
                self.portfolio_id = self.program.portfolio_id
            elif self.portfolio_id != self.program.portfolio_id:
                raise ValidationError(
                    {"program": _("Programmet hör inte till den valda portföljen.")}
                )


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
