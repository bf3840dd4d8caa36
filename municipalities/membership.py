"""Who belonged to a constellation on a past day, from its membership history.

Today's members, with every change recorded after that day undone (newest first):
a municipality added later was not a member then, one removed later still was.
Changes are the `ReferenceChange` rows written with each membership change, dated by
the day they take effect (`effective_on`, else the day they were recorded); a
membership older than the history (loaded with the reference data) counts as always.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from .choices import ChangeAction, ChangeSubject
from .models import Constellation, Municipality
from .models_history import ReferenceChange


def members_on(
    current: Iterable[int], changes: Iterable[tuple[dt.date, int, int, str]], day: dt.date
) -> set[int]:
    """`changes`: (changed on, change id, municipality id, action), any order."""
    members = set(current)
    for changed_on, _pk, municipality_id, action in sorted(changes, reverse=True):
        if changed_on <= day:
            break
        if action == ChangeAction.MEMBER_ADDED:
            members.discard(municipality_id)
        elif action == ChangeAction.MEMBER_REMOVED:
            members.add(municipality_id)
    return members


def effective_day(created_at, effective_on) -> dt.date:
    return effective_on or timezone.localtime(created_at).date()


@dataclass
class Membership:
    current: set[int] = field(default_factory=set)
    changes: list[tuple] = field(default_factory=list)

    def on(self, day: dt.date) -> set[int]:
        return members_on(self.current, self.changes, day)


def _changes(constellation_ids: Iterable[int], names: dict) -> dict[int, Membership]:
    result: dict[int, Membership] = defaultdict(Membership)
    rows = ReferenceChange.objects.filter(
        subject=ChangeSubject.CONSTELLATION,
        subject_id__in=list(constellation_ids),
        action__in=[ChangeAction.MEMBER_ADDED, ChangeAction.MEMBER_REMOVED],
        municipality__isnull=False,
    ).values_list(
        "subject_id",
        "created_at",
        "effective_on",
        "id",
        "municipality_id",
        "action",
        "municipality__name",
    )
    for constellation_id, created_at, effective_on, pk, municipality_id, action, name in rows:
        day = effective_day(created_at, effective_on)
        result[constellation_id].changes.append((day, pk, municipality_id, action))
        names[municipality_id] = name
    return result


def constellation_membership(constellation_id: int) -> tuple[Membership, dict[int, str]]:
    """One constellation's membership over time, and the names of every municipality
    that has been a member: two queries."""
    names: dict[int, str] = {}
    membership = _changes([constellation_id], names).get(constellation_id) or Membership()
    for pk, name in Municipality.objects.filter(constellations=constellation_id).values_list(
        "id", "name"
    ):
        membership.current.add(pk)
        names[pk] = name
    return membership, names


def constellation_members_on(constellation_ids: Iterable[int], day: dt.date) -> dict[int, set]:
    """{constellation id: municipality ids that were members on `day`}: two queries."""
    ids = list(constellation_ids)
    memberships = _changes(ids, names={})
    for constellation_id, municipality_id in Constellation.members.through.objects.filter(
        constellation_id__in=ids
    ).values_list("constellation_id", "municipality_id"):
        memberships[constellation_id].current.add(municipality_id)
    return {c: memberships[c].on(day) for c in ids}


def constellations_on(municipality_id: int, day: dt.date) -> set[int]:
    """The constellations the municipality belonged to on `day`: two queries."""
    current = set(
        Constellation.objects.filter(members=municipality_id).values_list("pk", flat=True)
    )
    changes: dict[int, list[tuple]] = defaultdict(list)
    for constellation_id, created_at, effective_on, pk, action in ReferenceChange.objects.filter(
        subject=ChangeSubject.CONSTELLATION,
        municipality_id=municipality_id,
        action__in=[ChangeAction.MEMBER_ADDED, ChangeAction.MEMBER_REMOVED],
    ).values_list("subject_id", "created_at", "effective_on", "id", "action"):
        changed_on = effective_day(created_at, effective_on)
        changes[constellation_id].append((changed_on, pk, municipality_id, action))
    result = set()
    for c in current | set(changes):
        now = {municipality_id} if c in current else set()
        if members_on(now, changes.get(c, ()), day):
            result.add(c)
    return result


def members_in_force(constellation) -> list[tuple[object, dt.date | None]]:
    """Today's members, municipalities then organisations, each with the day it last
    joined (None: a member since before the history): three queries."""
    joined: dict[tuple[str, int], dt.date] = {}
    for municipality_id, organisation_id, created_at, effective_on in (
        ReferenceChange.objects.filter(
            subject=ChangeSubject.CONSTELLATION,
            subject_id=constellation.pk,
            action__in=[ChangeAction.MEMBER_ADDED, ChangeAction.ORGANISATION_ADDED],
        )
        .order_by("created_at", "id")
        .values_list("municipality_id", "organisation_id", "created_at", "effective_on")
    ):
        key = ("m", municipality_id) if municipality_id else ("o", organisation_id)
        joined[key] = effective_day(created_at, effective_on)
    return [(m, joined.get(("m", m.pk))) for m in constellation.members.order_by("name")] + [
        (o, joined.get(("o", o.pk))) for o in constellation.organisations.order_by("name")
    ]
