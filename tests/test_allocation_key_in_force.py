"""Which allocation key applies on a date: one rule for the economy, settlement and the
documents (portfolio.selectors.keys)."""

import datetime as dt

import economy_builders as eb
import pytest

from portfolio.models import AllocationKey
from portfolio.periods import parse_period
from portfolio.selectors.keys import key_in_force, portfolio_key_in_force
from portfolio.services.allocation import period_settle
from portfolio.services.errors import DomainError
from portfolio.services.settings_keys import allocation_key_add
from reports.sources import allocation_key

pytestmark = pytest.mark.django_db


def test_the_latest_key_started_on_or_before_the_day_applies():
    w = eb.money_world()
    first = AllocationKey.objects.get(portfolio=w.portfolio)
    later = allocation_key_add(
        actor=w.coordinator,
        portfolio=w.portfolio,
        valid_from=first.valid_from.replace(year=first.valid_from.year + 1),
        population_weight=50,
        equal_weight=50,
    )
    day_before = later.valid_from - dt.timedelta(days=1)
    assert portfolio_key_in_force(w.portfolio, day_before) == first
    assert portfolio_key_in_force(w.portfolio, later.valid_from) == later
    assert portfolio_key_in_force(w.portfolio, later.valid_from.replace(year=2100)) == later
    # Costs dated before the first key are shared by it.
    assert portfolio_key_in_force(w.portfolio, dt.date(1990, 1, 1)) == first
    # The documents ask the same rule.
    assert allocation_key(w.portfolio, day_before) == first


def test_without_keys_nothing_is_in_force():
    assert key_in_force([], dt.date(2026, 1, 1)) is None


def test_a_period_ending_before_the_first_key_cannot_be_settled():
    w = eb.money_world()
    first = AllocationKey.objects.get(portfolio=w.portfolio)
    before = parse_period(f"{first.valid_from.year - 1}H1")
    with pytest.raises(DomainError) as refused:
        period_settle(
            actor=w.coordinator,
            portfolio=w.portfolio,
            period=before,
            decided_on=before.end + dt.timedelta(days=30),
            meeting_reference="§ 2",
        )
    assert refused.value.rule == "no_allocation_key"
