"""Entering, correcting and removing costs and hours."""

import datetime as dt
from decimal import Decimal

import economy_builders as eb
import factories
import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from portfolio.choices import CostKind, CostNature
from portfolio.models import CostEntry, HistoryEntry, TimeEntry
from portfolio.services import costs
from portfolio.services.errors import NotAllowedError

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 1)


def _create(actor, initiative, **overrides):
    values = {
        "kind": CostKind.DEVELOPMENT,
        "nature": CostNature.ACTUAL,
        "period": DAY,
        "amount": 1000,
        "paid_by": factories.municipality("1460"),
    }
    values.update(overrides)
    return costs.cost_entry_create(actor=actor, initiative=initiative, **values)


def test_an_actual_cost_names_who_paid_and_an_estimate_names_nobody():
    w = eb.money_world()
    initiative = eb.initiative(w)
    with pytest.raises(ValidationError) as missing:
        _create(w.coordinator, initiative, paid_by=None)
    assert "paid_by" in missing.value.message_dict
    with pytest.raises(ValidationError) as named:
        _create(w.coordinator, initiative, nature=CostNature.ESTIMATE)
    assert "paid_by" in named.value.message_dict
    with pytest.raises(ValidationError) as bad:
        _create(w.coordinator, initiative, amount=-5, kind="annat")
    assert {"amount", "kind"} <= set(bad.value.message_dict)
    assert CostEntry.objects.count() == 0


def test_an_it_chef_reports_for_their_own_participating_municipality_only():
    w = eb.money_world()
    initiative = eb.initiative(w, participants=("1460", "1438"))
    _create(w.itchef, initiative)
    with pytest.raises(NotAllowedError):
        _create(w.itchef, initiative, paid_by=factories.municipality("1438"))
    with pytest.raises(NotAllowedError):
        costs.time_entry_create(
            actor=w.itchef,
            initiative=initiative,
            municipality=factories.municipality("1438"),
            period=DAY,
            hours=2,
        )
    elsewhere = eb.initiative(w, participants=("1438",))
    with pytest.raises(NotAllowedError):
        _create(w.itchef, elsewhere)
    for person in (w.reader, w.outsider):
        with pytest.raises(NotAllowedError):
            _create(person, initiative)
    manager = factories.user("1461", Role.PROGRAM_MANAGER)
    w.program.manager = manager
    w.program.save()
    _create(manager, initiative, paid_by=factories.municipality("1438"))
    assert CostEntry.objects.count() == 2


def test_corrections_and_removals_leave_history():
    w = eb.money_world()
    initiative = eb.initiative(w)
    entry = _create(w.coordinator, initiative)
    costs.cost_entry_correct(actor=w.coordinator, entry=entry, amount=1500)
    costs.cost_entry_delete(actor=w.coordinator, entry=entry)
    history = HistoryEntry.objects.filter(entity="cost_entry").order_by("id")
    assert [h.action for h in history] == ["created", "corrected", "deleted"]
    assert history[1].changes["amount"] == [1000, 1500]
    assert history[2].changes["amount"] == [1500, None]
    assert all(h.actor == w.coordinator for h in history)


def test_time_entries_need_positive_hours_with_two_decimals_at_most():
    w = eb.money_world()
    initiative = eb.initiative(w)
    municipality = factories.municipality("1460")
    for bad in (0, -1, "1.005", "x"):
        with pytest.raises(ValidationError):
            costs.time_entry_create(
                actor=w.coordinator,
                initiative=initiative,
                municipality=municipality,
                period=DAY,
                hours=bad,
            )
    entry = costs.time_entry_create(
        actor=w.coordinator,
        initiative=initiative,
        municipality=municipality,
        period=DAY,
        hours="7.5",
        role="Testledare",
    )
    costs.time_entry_correct(actor=w.coordinator, entry=entry, hours=Decimal("8"))
    costs.time_entry_delete(actor=w.coordinator, entry=entry)
    assert TimeEntry.objects.count() == 0
    actions = HistoryEntry.objects.filter(entity="time_entry").values_list("action", flat=True)
    assert sorted(actions) == ["corrected", "created", "deleted"]
