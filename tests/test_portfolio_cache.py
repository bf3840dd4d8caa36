"""The dashboard's cached portfolio figures (economy, costs against budget, follow-up
trend): the same as the live ones, forgotten on commit by every write that changes them."""

import datetime as dt

import economy_builders as eb
import factories
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from municipalities.models import Constellation, Municipality, Population
from municipalities.signals import reference_data_imported
from portfolio.periods import parse_period
from portfolio.selectors.economy import portfolio_economy
from portfolio.selectors.economy_tools import costs_against_budget
from portfolio.selectors.indicators import indicator_trend, recent_half_years
from portfolio.selectors.portfolio_cache import (
    cached_costs_against_budget,
    cached_indicator_trend,
    cached_portfolio_economy,
)
from portfolio.services.allocation import period_settle
from portfolio.services.costs import cost_entry_delete
from portfolio.services.initiatives import initiative_create
from portfolio.services.participation import participation_leave
from portfolio.services.settings_keys import allocation_key_add
from portfolio.services.settings_programs import program_budget_set

pytestmark = pytest.mark.django_db
H1 = parse_period("2026H1")


@pytest.fixture
def world():
    w = eb.money_world()
    initiative = eb.initiative(w)
    eb.actual(w, initiative, 1_000_000, dt.date(2026, 2, 1))
    return w, initiative


def _same(cached, live) -> None:
    assert cached.as_dict() == live.as_dict()
    assert cached.settled == live.settled


def test_the_cached_economy_is_the_live_one_and_a_second_read_runs_no_query(world):
    w, _ = world
    first = cached_portfolio_economy(w.portfolio, H1)
    with CaptureQueriesContext(connection) as queries:
        second = cached_portfolio_economy(w.portfolio, H1)
    assert len(queries) == 0
    _same(first, portfolio_economy(w.portfolio, H1))
    _same(second, first)
    assert second.total_costs == 1_000_000


def test_cost_and_time_entries_show_once_committed(world, django_capture_on_commit_callbacks):
    w, initiative = world
    cached_portfolio_economy(w.portfolio, H1)
    with django_capture_on_commit_callbacks(execute=True):
        entry = eb.actual(w, initiative, 500_000, dt.date(2026, 3, 1))
    assert cached_portfolio_economy(w.portfolio, H1).total_costs == 1_500_000
    with django_capture_on_commit_callbacks(execute=True):
        eb.hours(w, initiative, "1460", 10, dt.date(2026, 3, 1))
    assert cached_portfolio_economy(w.portfolio, H1).total_hours_value == 7_000
    with django_capture_on_commit_callbacks(execute=True):
        cost_entry_delete(actor=w.coordinator, entry=entry)
    _same(cached_portfolio_economy(w.portfolio, H1), portfolio_economy(w.portfolio, H1))


def test_a_leaving_participant_a_new_key_and_a_settlement_show_once_committed(
    world, django_capture_on_commit_callbacks
):
    w, initiative = world
    cached_portfolio_economy(w.portfolio, H1)
    leaver = initiative.participations.get(municipality__code="1460")
    director = factories.user("1460", Role.DIRECTOR)
    with django_capture_on_commit_callbacks(execute=True):
        participation_leave(
            actor=director,
            participation=leaver,
            version=leaver.version,
            left_on=dt.date(2026, 1, 15),
            reason="Prioriterar annat",
        )
    _same(cached_portfolio_economy(w.portfolio, H1), portfolio_economy(w.portfolio, H1))
    with django_capture_on_commit_callbacks(execute=True):
        allocation_key_add(
            actor=w.coordinator,
            portfolio=w.portfolio,
            valid_from=dt.date(2026, 1, 1),
            population_weight=50,
            equal_weight=50,
        )
    _same(cached_portfolio_economy(w.portfolio, H1), portfolio_economy(w.portfolio, H1))
    with django_capture_on_commit_callbacks(execute=True):
        period_settle(
            actor=w.coordinator,
            portfolio=w.portfolio,
            period=H1,
            decided_on=dt.date(2026, 9, 10),
            meeting_reference="§ 8",
        )
    cached = cached_portfolio_economy(w.portfolio, H1)
    assert cached.settled
    _same(cached, portfolio_economy(w.portfolio, H1))


def test_costs_against_budget_follow_budgets_and_costs_once_committed(
    world, django_capture_on_commit_callbacks
):
    w, initiative = world
    assert cached_costs_against_budget(w.portfolio) == costs_against_budget(w.portfolio)
    with django_capture_on_commit_callbacks(execute=True):
        program_budget_set(actor=w.coordinator, program=w.program, year=2026, amount=3_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        eb.estimate(w, initiative, 400_000, dt.date(2026, 4, 1))
    with CaptureQueriesContext(connection) as queries:
        rows = cached_costs_against_budget(w.portfolio)
    assert rows == costs_against_budget(w.portfolio)
    row = next(r for r in rows if r.program_id == w.program.pk and r.year == 2026)
    assert (row.budget, row.estimate, row.actual) == (3_000_000, 400_000, 1_000_000)
    with CaptureQueriesContext(connection) as again:
        cached_costs_against_budget(w.portfolio)
    assert len(queries) > 0 and len(again) == 0


def test_the_trend_counts_a_new_idea_once_committed(world, django_capture_on_commit_callbacks):
    w, _ = world
    periods = recent_half_years(timezone.localdate(), 4)
    before = cached_indicator_trend(w.portfolio, periods)
    assert before == indicator_trend(w.portfolio, periods)
    with django_capture_on_commit_callbacks(execute=True):
        initiative_create(actor=w.coordinator, portfolio=w.portfolio, title="Ny e-tjänst")
    after = cached_indicator_trend(w.portfolio, periods)
    assert after == indicator_trend(w.portfolio, periods)
    assert after["incoming"][-1] == before["incoming"][-1] + 1


def _version_moves(portfolio, write, capture) -> bool:
    from portfolio.selectors import portfolio_cache

    before = portfolio_cache._version(portfolio.pk)
    with capture(execute=True):
        write()
    return portfolio_cache._version(portfolio.pk) != before


def test_population_and_membership_changes_move_the_portfolios_figures_on(
    world, django_capture_on_commit_callbacks
):
    w, _ = world
    capture = django_capture_on_commit_callbacks
    constellation = w.portfolio.constellation
    bengtsfors = constellation.members.get(code="1460")
    skara = Municipality.objects.get(code="1495")
    assert _version_moves(
        w.portfolio,
        lambda: Population.objects.create(municipality=bengtsfors, year=2030, population=9000),
        capture,
    )
    assert _version_moves(w.portfolio, lambda: constellation.members.add(skara), capture)
    assert _version_moves(w.portfolio, lambda: skara.constellations.remove(constellation), capture)
    assert _version_moves(w.portfolio, lambda: reference_data_imported.send(sender=None), capture)
    # A constellation the portfolio does not belong to leaves it alone.
    other = Constellation.objects.create(name="Annan samverkan")
    assert not _version_moves(w.portfolio, lambda: other.members.add(skara), capture)
