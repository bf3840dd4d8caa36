"""What every settings service shares: the permission check and the history row."""

from django.utils.translation import gettext as _

from .. import policies
from ..models import Portfolio, SettingsChange
from ..selectors.portfolio_cache import portfolio_changed
from .errors import NotAllowedError
from .history import diff, plain_changes


def require_settings_manager(actor, portfolio: Portfolio) -> None:
    if not policies.can_manage_portfolio_settings(actor, portfolio):
        raise NotAllowedError(
            _("Bara portföljkontoret (samordnare i en medlemskommun) kan ändra inställningarna.")
        )


def changed_fields(instance, before: dict) -> dict:
    """{field: [old, new]} for the fields of `before` whose value changed."""
    return diff(instance, before, before)


def settings_record(
    *,
    portfolio: Portfolio,
    actor,
    entity: str,
    entity_id: int,
    action: str,
    label: str = "",
    changes: dict | None = None,
) -> SettingsChange:
    # Programs, budgets and keys feed the portfolio's cached figures.
    portfolio_changed(portfolio.pk)
    return SettingsChange.objects.create(
        portfolio=portfolio,
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        action=action,
        label=str(label)[:200],
        changes=plain_changes(changes),
    )
