"""The portfolio figures kept write by write (portfolio_ledger) equal a full computation
after any sequence of writes, and the dashboard after a write reads them without
recomputing the portfolio."""

import dataclasses
import datetime as dt
import time
import uuid

import economy_builders as eb
import factories
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from portfolio.choices import Health, Stage
from portfolio.models import Initiative
from portfolio.periods import parse_period
from portfolio.selectors import dashboard as board
from portfolio.selectors import portfolio_cache, portfolio_ledger
from portfolio.selectors.economy import latest_active_period, portfolio_economy
from portfolio.selectors.economy_tools import costs_against_budget
from portfolio.selectors.indicators import indicator_trend
from portfolio.services import costs
from portfolio.services.errors import DomainError, NotAllowedError
from portfolio.services.initiatives import initiative_update
from portfolio.services.participation import participation_implemented, participation_leave
from portfolio.services.status import status_update_create
from tests.dashboard_data import populated_portfolio

pytestmark = pytest.mark.django_db
PERIODS = [parse_period("2025H2"), parse_period("2026H1")]
DAYS = st.dates(dt.date(2025, 7, 1), dt.date(2026, 6, 30))
CODES = st.sampled_from(eb.DALSLAND)
HEALTH = st.sampled_from(Health.values)

# One write: (what, which initiative, arguments drawn for it).
WRITES = st.one_of(
    st.tuples(st.just("actual"), st.integers(0, 3), st.integers(1, 900_000), DAYS, CODES),
    st.tuples(st.just("estimate"), st.integers(0, 3), st.integers(1, 900_000), DAYS),
    st.tuples(st.just("hours"), st.integers(0, 3), st.integers(1, 4_000), DAYS, CODES),
    st.tuples(st.just("delete_cost"), st.integers(0, 3), st.integers(0, 5)),
    st.tuples(st.just("delete_hours"), st.integers(0, 3), st.integers(0, 5)),
    st.tuples(st.just("leave"), st.integers(0, 3), CODES, DAYS),
    st.tuples(st.just("status"), st.integers(0, 3), HEALTH, HEALTH, HEALTH),
    st.tuples(st.just("implemented"), st.integers(0, 3), CODES, DAYS),
    st.tuples(st.just("program"), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("title"), st.integers(0, 3), st.text("abcåäö ", min_size=1, max_size=12)),
)


def _write(w, other_program, initiatives, write) -> None:
    what, index, *args = write
    initiative = Initiative.objects.get(pk=initiatives[index].pk)
    if what == "actual":
        eb.actual(w, initiative, args[0], args[1], paid_by=args[2])
    elif what == "estimate":
        eb.estimate(w, initiative, args[0], args[1])
    elif what == "hours":
        eb.hours(w, initiative, args[2], f"{args[0] / 100:.2f}", args[1])
    elif what == "delete_cost":
        entries = list(initiative.costs.order_by("id"))
        if entries:
            entry = entries[args[0] % len(entries)]
            costs.cost_entry_delete(actor=w.coordinator, entry=entry)
    elif what == "delete_hours":
        entries = list(initiative.time_entries.order_by("id"))
        if entries:
            entry = entries[args[0] % len(entries)]
            costs.time_entry_delete(actor=w.coordinator, entry=entry)
    elif what == "leave":
        participation = initiative.participations.filter(municipality__code=args[0]).first()
        if participation is not None:
            participation_leave(
                actor=factories.user(args[0], Role.DIRECTOR),
                participation=participation,
                version=participation.version,
                left_on=args[1],
                reason="Prioriterar annat",
            )
    elif what == "implemented":
        participation = initiative.participations.filter(municipality__code=args[0]).first()
        if participation is not None:
            participation_implemented(
                actor=factories.user(args[0], Role.IT_MANAGER),
                participation=participation,
                version=participation.version,
                implemented_on=args[1],
            )
    elif what == "status":
        status_update_create(
            actor=w.coordinator,
            initiative=initiative,
            reported_on=dt.date(2026, 3, 1),
            health_time=args[0],
            health_cost=args[1],
            health_quality=args[2],
            progress=50,
        )
    elif what == "program":
        program = other_program if args[0] else w.program
        initiative_update(
            actor=w.coordinator, initiative=initiative, version=initiative.version, program=program
        )
    elif what == "title":
        initiative_update(
            actor=w.coordinator, initiative=initiative, version=initiative.version, title=args[0]
        )


def _kept_figures(w) -> dict:
    return {
        "economy": [
            portfolio_cache.cached_portfolio_economy(w.portfolio, p).as_dict() for p in PERIODS
        ],
        "budget": portfolio_cache.cached_costs_against_budget(w.portfolio),
        "pipeline": portfolio_cache.pipeline_counts(w.portfolio),
        "trend": portfolio_cache.cached_indicator_trend(w.portfolio, PERIODS),
        "health": portfolio_cache.health_counts(w.portfolio),
        "awaiting": [
            (a.initiative.pk, a.initiative.title, a.gate, a.met, a.total, a.unmet)
            for a in portfolio_cache.awaiting_decisions(w.portfolio)
        ],
        "opens_on": portfolio_cache.latest_active_period(w.portfolio),
    }


def _computed_figures(w) -> dict:
    initiatives = Initiative.objects.filter(portfolio=w.portfolio)
    return {
        "economy": [portfolio_economy(w.portfolio, p).as_dict() for p in PERIODS],
        "budget": costs_against_budget(w.portfolio),
        "pipeline": board.pipeline_by_program(initiatives),
        "trend": indicator_trend(w.portfolio, PERIODS),
        "health": board.health_counts(initiatives),
        "awaiting": [
            (a.initiative.pk, a.initiative.title, a.gate, a.met, a.total, a.unmet)
            for a in board.awaiting_decisions(w.portfolio, initiatives)
        ],
        "opens_on": latest_active_period(initiative__portfolio=w.portfolio),
    }


@pytest.fixture
def money():
    w = eb.money_world()
    other_program = factories.program(w.portfolio)
    initiatives = [
        eb.initiative(w, stage=stage)
        for stage in (Stage.IDEA, Stage.PRESTUDY, Stage.PROJECT, Stage.IMPLEMENTATION)
    ]
    eb.join(initiatives[1], "1438", dt.date(2026, 3, 1))  # a late joiner: a buy-in
    eb.actual(w, initiatives[1], 400_000, dt.date(2026, 1, 10))
    eb.hours(w, initiatives[2], "1461", "12.5", dt.date(2025, 9, 1))
    return w, other_program, initiatives


@pytest.mark.postgres
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(WRITES, min_size=1, max_size=8), prime_after=st.integers(0, 8))
def test_kept_figures_equal_a_full_computation_after_any_writes(
    money, django_capture_on_commit_callbacks, monkeypatch, writes, prime_after
):
    w, other_program, initiatives = money
    # Each example starts from nothing kept: its writes are rolled back below.
    monkeypatch.setattr(portfolio_cache, "NAMESPACE", f"ledger-{uuid.uuid4().hex}")
    with transaction.atomic():
        for n, write in enumerate(writes):
            if n == prime_after:
                _kept_figures(w)  # kept from here on, patched by each later write
            try:
                with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                    _write(w, other_program, initiatives, write)
            except (DomainError, NotAllowedError, ValidationError):
                pass  # a write the rules refuse changes nothing
        assert _kept_figures(w) == _computed_figures(w)
        transaction.set_rollback(True)


def test_a_write_patches_the_kept_economy_without_recomputing_the_portfolio(
    money, django_capture_on_commit_callbacks
):
    w, _other, initiatives = money
    period = parse_period("2026H1")
    portfolio_cache.cached_portfolio_economy(w.portfolio, period)
    with django_capture_on_commit_callbacks(execute=True):
        eb.actual(w, initiatives[2], 250_000, dt.date(2026, 2, 1))
    with CaptureQueriesContext(connection) as queries:
        kept = portfolio_cache.cached_portfolio_economy(w.portfolio, period)
    assert len(queries) == 0
    assert kept.as_dict() == portfolio_economy(w.portfolio, period).as_dict()


def _dashboard_after_write(client, on_commit, count: int) -> int:
    portfolio, director = populated_portfolio(count)
    client.force_login(director)
    url = reverse("portfolio:dashboard", args=[portfolio.pk])
    assert client.get(url).status_code == 200  # the figures are kept from here on
    initiative = portfolio.initiatives.order_by("id").first()
    coordinator = factories.user("1487", Role.COORDINATOR)
    with on_commit(execute=True):
        costs.time_entry_create(
            actor=coordinator,
            initiative=initiative,
            municipality=initiative.proposing_municipality,
            period=dt.date(2026, 3, 1),
            hours="3.5",
            role="Projektledare",
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_right_after_a_write_runs_the_same_few_queries_for_10_and_300(
    client, django_capture_on_commit_callbacks
):
    small = _dashboard_after_write(client, django_capture_on_commit_callbacks, 10)
    large = _dashboard_after_write(client, django_capture_on_commit_callbacks, 300)
    assert small == large, f"{small} queries for 10 initiatives, {large} for 300"
    assert large <= 20


def test_a_build_that_a_write_overtook_is_not_kept(money, monkeypatch):
    w, _other, initiatives = money
    kind = portfolio_cache.ledger_dashboard.PIPELINE
    real_build = kind.build

    def build_while_a_write_commits(portfolio, arg):
        found = real_build(portfolio, arg)
        # Another request's write commits after this build read the database.
        portfolio_cache._patch(portfolio.pk, [initiatives[0].pk])
        return found

    overtaken = dataclasses.replace(kind, build=build_while_a_write_commits)
    monkeypatch.setattr(portfolio_cache.ledger_dashboard, "PIPELINE", overtaken)
    portfolio_cache.pipeline_counts(w.portfolio)
    monkeypatch.setattr(portfolio_cache.ledger_dashboard, "PIPELINE", kind)
    with CaptureQueriesContext(connection) as queries:
        portfolio_cache.pipeline_counts(w.portfolio)
    assert len(queries) > 0  # built again: the overtaken build was not stored


def test_a_ledger_is_patched_for_at_most_its_timeout_then_built_again(
    money, django_capture_on_commit_callbacks, monkeypatch
):
    w, _other, initiatives = money
    portfolio_cache.pipeline_counts(w.portfolio)
    later = time.time() + portfolio_cache.TIMEOUT + 1
    monkeypatch.setattr(portfolio_ledger.time, "time", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        eb.estimate(w, initiatives[0], 1_000, dt.date(2026, 2, 1))
    with CaptureQueriesContext(connection) as queries:
        counts = portfolio_cache.pipeline_counts(w.portfolio)
    assert len(queries) > 0
    assert counts == board.pipeline_by_program(Initiative.objects.filter(portfolio=w.portfolio))
