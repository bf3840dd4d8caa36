"""What every settings service shares: the permission check and the history row."""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from .. import policies
from ..models import Portfolio, SettingsChange
from .errors import NotAllowedError


def require_settings_manager(actor, portfolio: Portfolio) -> None:
    if not policies.can_manage_portfolio_settings(actor, portfolio):
        raise NotAllowedError(
            _("Bara portföljkontoret (samordnare i en medlemskommun) kan ändra inställningarna.")
        )


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def changed_fields(instance, before: dict) -> dict:
    """{field: [old, new]} for the fields of `before` whose value changed."""
    return {
        name: [_plain(old), _plain(getattr(instance, name))]
        for name, old in before.items()
        if old != getattr(instance, name)
    }


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
    return SettingsChange.objects.create(
        portfolio=portfolio,
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        action=action,
        label=str(label)[:200],
        changes={
            k: [_plain(v) for v in pair] if isinstance(pair, list | tuple) else _plain(pair)
            for k, pair in (changes or {}).items()
        },
    )
