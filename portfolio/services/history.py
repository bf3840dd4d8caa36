"""History rows: who changed what and when, written in the same transaction as the change."""

import datetime as dt
from decimal import Decimal

from django.db import models

from ..models import HistoryEntry, SettingsChange
from ..selectors.history import MEETING_ENTITY
from ..selectors.portfolio_cache import initiative_changed


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def diff(instance, fields, before: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    changes = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


def plain_changes(changes: dict | None) -> dict:
    """The changes as JSON: each [old, new] pair (or single value) in plain values."""
    return {
        k: [_plain(v) for v in pair] if isinstance(pair, list | tuple) else _plain(pair)
        for k, pair in (changes or {}).items()
    }


def snapshot(instance, fields) -> dict:
    return {name: getattr(instance, name) for name in fields}


def history_record(
    *, initiative, entity: str, entity_id: int, action: str, actor, changes: dict | None = None
) -> HistoryEntry:
    # Every recorded change may move a figure derived from the whole portfolio: after
    # commit the figures kept write by write take this initiative's part anew.
    initiative_changed(initiative.portfolio_id, initiative.pk)
    return HistoryEntry.objects.create(
        initiative=initiative,
        entity=entity,
        entity_id=entity_id,
        action=action,
        changes=plain_changes(changes),
        actor=actor,
    )


def meeting_record(*, meeting, actor, action: str, changes: dict | None = None) -> SettingsChange:
    """A change to a meeting or its agenda. A meeting belongs to a body of the
    portfolio, not to an initiative, so its rows are the portfolio's (SettingsChange),
    under the entity "meeting". `meeting` is the row the caller locked: a change made
    once a kallelse has gone out is marked, as the members were told otherwise."""
    changes = dict(changes or {})
    if meeting.agenda_sent_at is not None:
        changes["after_notice"] = True
    return SettingsChange.objects.create(
        portfolio_id=meeting.body.portfolio_id,
        entity=MEETING_ENTITY,
        entity_id=meeting.pk,
        label=str(meeting)[:200],
        action=action,
        actor=actor,
        changes=plain_changes(changes),
    )
