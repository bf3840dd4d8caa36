"""Errors the domain layer raises; pages show them, the API turns them into 4xx."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the action. `rule` names the rule for API clients."""

    status_code = 400
    rule = "domain_rule"

    def __init__(self, message, *, rule: str | None = None, fields: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.rule = rule or self.rule
        self.fields = fields or {}


class StaleVersionError(DomainError):
    """Someone else saved first: the caller's version is outdated."""

    status_code = 409
    rule = "stale_version"

    def __init__(self, message=None, **kwargs):
        super().__init__(
            message
            or _(
                "Någon annan har sparat ändringar sedan du öppnade sidan. Ladda om sidan och "
                "gör dina ändringar igen; inget av det andra har gått förlorat."
            ),
            **kwargs,
        )


class NotAllowedError(DomainError):
    """The user's role does not allow the action (403)."""

    status_code = 403
    rule = "not_allowed"
