"""Settling a period (avräkning) freezes its result."""

import datetime as dt

import economy_builders as eb
import factories
import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from portfolio.models import AllocationKey, HistoryEntry, SettledPeriod
from portfolio.periods import parse_period
from portfolio.selectors.economy import initiative_economy, portfolio_economy, program_economy
from portfolio.services import costs
from portfolio.services.allocation import period_settle
from portfolio.services.errors import DomainError, NotAllowedError
from portfolio.services.settings_keys import allocation_key_add

pytestmark = pytest.mark.django_db
H1 = parse_period("2026H1")
AFTER = dt.date(2026, 7, 15)


def settle(actor, portfolio, *, today=AFTER):
    return period_settle(
        actor=actor,
        portfolio=portfolio,
        period=H1,
        decided_on=AFTER,
        meeting_reference="§ 12",
        today=today,
    )


def _state():
    w = eb.money_world()
    initiative = eb.initiative(w)
    eb.actual(w, initiative, 1_000_000, dt.date(2026, 2, 1), paid_by="1460")
    eb.hours(w, initiative, "1487", 10, dt.date(2026, 3, 1))
    return w, initiative


def test_a_settled_period_keeps_its_result_when_the_key_changes():
    w, initiative = _state()
    before = portfolio_economy(w.portfolio, H1)
    initiative_before = initiative_economy(initiative, H1)
    settled = settle(w.coordinator, w.portfolio)
    assert settled.settled_by == w.coordinator
    with pytest.raises(ValidationError):
        # A key starting inside the settled period would rewrite it: refused.
        allocation_key_add(
            actor=w.coordinator,
            portfolio=w.portfolio,
            valid_from=dt.date(2026, 1, 1),
            population_weight=0,
            equal_weight=100,
            hourly_rate=2000,
        )
    allocation_key_add(
        actor=w.coordinator,
        portfolio=w.portfolio,
        valid_from=dt.date(2026, 7, 1),
        population_weight=0,
        equal_weight=100,
        hourly_rate=2000,
    )
    after = portfolio_economy(w.portfolio, H1)
    assert after.settled and not before.settled
    assert [r.as_dict() for r in after.rows] == [r.as_dict() for r in before.rows]
    assert after.transfers == before.transfers
    initiative_after = initiative_economy(initiative, H1)
    assert initiative_after.settled
    assert initiative_after.rows == initiative_before.rows
    assert program_economy(w.program, H1).settled
    # The next, open period uses the new key.
    eb.actual(w, initiative, 600_000, dt.date(2026, 8, 1))
    assert portfolio_economy(w.portfolio, "2026H2").row_for("1438").allocated == 100_000


def test_no_entry_can_change_inside_a_settled_period():
    w, initiative = _state()
    entry = initiative.costs.first()
    settle(w.coordinator, w.portfolio)
    with pytest.raises(DomainError) as refused:
        eb.actual(w, initiative, 5, dt.date(2026, 6, 30))
    assert refused.value.rule == "period_settled"
    with pytest.raises(DomainError):
        eb.hours(w, initiative, "1460", 1, dt.date(2026, 1, 1))
    with pytest.raises(DomainError):
        costs.cost_entry_delete(actor=w.coordinator, entry=entry)
    with pytest.raises(DomainError):
        costs.cost_entry_correct(actor=w.coordinator, entry=entry, period=dt.date(2026, 7, 2))
    # Estimates too: a settled period is closed to every change.
    with pytest.raises(DomainError) as estimate:
        eb.estimate(w, initiative, 5, dt.date(2026, 6, 30))
    assert estimate.value.rule == "period_settled"


def test_an_estimate_in_a_settled_period_can_no_longer_be_removed_or_corrected():
    w, initiative = _state()
    estimate = eb.estimate(w, initiative, 1_450_000, dt.date(2026, 3, 1))
    hours = initiative.time_entries.get()
    settle(w.coordinator, w.portfolio)
    attempts = (
        lambda: costs.cost_entry_delete(actor=w.coordinator, entry=estimate),
        lambda: costs.cost_entry_correct(actor=w.coordinator, entry=estimate, amount=1),
        # Moving it out of the settled period changes the settled period too.
        lambda: costs.cost_entry_correct(
            actor=w.coordinator, entry=estimate, period=dt.date(2026, 8, 1)
        ),
        lambda: costs.time_entry_delete(actor=w.coordinator, entry=hours),
        lambda: costs.time_entry_correct(actor=w.coordinator, entry=hours, role="Annan"),
    )
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.rule == "period_settled"
    estimate.refresh_from_db()
    assert (estimate.amount, estimate.period, estimate.version) == (
        1_450_000,
        dt.date(2026, 3, 1),
        1,
    )
    assert initiative.time_entries.get().role == "Projektledare"


def test_only_a_samordnare_or_kommundirektor_settles_and_only_a_closed_period_once():
    w, _initiative = _state()
    # Locking is the board's decision: a lone kommundirektör cannot lock it for everyone.
    for person in (w.director, w.itchef, w.reader, w.outsider):
        with pytest.raises(NotAllowedError):
            settle(person, w.portfolio)
    with pytest.raises(DomainError) as still_open:
        settle(w.coordinator, w.portfolio, today=dt.date(2026, 6, 1))
    assert still_open.value.rule == "period_open"
    settle(w.coordinator, w.portfolio)
    with pytest.raises(DomainError) as twice:
        settle(w.coordinator, w.portfolio)
    assert twice.value.rule == "already_settled"
    assert SettledPeriod.objects.count() == 1


def test_only_the_portfolio_office_changes_the_key():
    w, _initiative = _state()
    with pytest.raises(NotAllowedError):
        allocation_key_add(actor=w.director, portfolio=w.portfolio, valid_from=dt.date(2027, 1, 1))
    director_skara = factories.user("1495", Role.COORDINATOR)
    with pytest.raises(NotAllowedError):
        allocation_key_add(
            actor=director_skara, portfolio=w.portfolio, valid_from=dt.date(2027, 1, 1)
        )
    assert AllocationKey.objects.filter(portfolio=w.portfolio).count() == 1
    assert HistoryEntry.objects.filter(entity="cost_entry", action="created").count() == 1
