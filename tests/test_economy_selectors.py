"""Allocation per initiative, program, portfolio and municipality, read from the database."""

import datetime as dt
from decimal import Decimal

import economy_builders as eb
import factories
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.choices import CostKind
from portfolio.domain.allocation import Party, allocate
from portfolio.models import AllocationKey
from portfolio.selectors.economy import (
    all_portfolios_economy,
    initiative_economy,
    municipality_economy,
    portfolio_economy,
    program_economy,
)

pytestmark = pytest.mark.django_db
H1 = "2026H1"
FOUR_D = ("1460", "1438", "1439", "1461")
FIVE_D = (*FOUR_D, "1492")


def parties(codes):
    return [Party(c, eb.POPULATION_2025[c]) for c in codes]


def expected(amount, codes, w_pop=80):
    return {a.code: a.amount for a in allocate(amount, parties(codes), w_pop, 100 - w_pop)}


def test_an_actual_cost_is_shared_by_the_key_and_the_payer_is_credited():
    w = eb.money_world()
    initiative = eb.initiative(w)
    eb.actual(w, initiative, 1_000_000, dt.date(2026, 2, 1), paid_by="1460")
    eb.estimate(w, initiative, 9_000_000, dt.date(2026, 2, 1))  # estimates are not shared
    economy = initiative_economy(initiative, H1)
    assert eb.column(economy, "allocated") == expected(1_000_000, eb.DALSLAND)
    assert economy.row_for("1460").allocated == 122_207
    assert economy.row_for("1460").paid == 1_000_000
    assert economy.row_for("1460").net == 122_207 - 1_000_000
    assert sum(eb.nets(economy).values()) == 0
    assert economy.total_costs == 1_000_000
    assert {t.to_code for t in economy.transfers} == {"1460"}
    assert sum(t.amount for t in economy.transfers) == 1_000_000 - 122_207


def test_hours_are_valued_at_the_hourly_rate_rounded_half_up_per_municipality_and_period():
    w = eb.money_world(hourly_rate=701)
    initiative = eb.initiative(w)
    eb.hours(w, initiative, "1460", "0.25", dt.date(2026, 1, 10))
    eb.hours(w, initiative, "1460", "0.25", dt.date(2026, 3, 10))  # 0.5 h: 350.50 kr
    eb.hours(w, initiative, "1487", "10", dt.date(2026, 3, 10))
    economy = initiative_economy(initiative, H1)
    bengtsfors = economy.row_for("1460")
    assert bengtsfors.hours == Decimal("0.50")
    assert bengtsfors.hours_value == 351
    assert economy.row_for("1487").hours_value == 7010
    # The hours are a cost everyone shares and the giver's contribution.
    assert economy.total_costs == 351 + 7010
    assert eb.column(economy, "allocated") == expected(7361, eb.DALSLAND)
    assert sum(eb.nets(economy).values()) == 0


def test_a_leaver_keeps_its_share_up_to_its_leaving_date_only():
    w = eb.money_world()
    initiative = eb.initiative(w)
    eb.join(initiative, "1492", dt.date(2025, 1, 1), left_on=dt.date(2026, 3, 31))
    eb.actual(w, initiative, 600_000, dt.date(2026, 3, 31))
    eb.actual(w, initiative, 500_000, dt.date(2026, 4, 1))
    economy = initiative_economy(initiative, H1)
    six = expected(600_000, eb.DALSLAND)
    five = expected(500_000, ("1460", "1438", "1439", "1461", "1487"))
    assert economy.row_for("1492").allocated == six["1492"]
    assert economy.row_for("1487").allocated == six["1487"] + five["1487"]
    assert sum(eb.nets(economy).values()) == 0


def test_a_late_joiner_buys_in_and_the_earlier_participants_are_credited():
    w = eb.money_world()
    initiative = eb.initiative(w, participants=FOUR_D, joined=dt.date(2025, 1, 1))
    eb.actual(w, initiative, 1_000_000, dt.date(2025, 3, 1))
    eb.actual(w, initiative, 50_000, dt.date(2025, 4, 1), kind=CostKind.OPERATION)
    eb.join(initiative, "1492", dt.date(2026, 2, 1))
    economy = initiative_economy(initiative, H1)
    buy_in = expected(1_000_000, FIVE_D)["1492"]  # development costs only
    assert economy.row_for("1492").buy_in == buy_in
    credits = {c: economy.row_for(c).buy_in for c in FOUR_D}
    assert all(v < 0 for v in credits.values())
    assert -sum(credits.values()) == buy_in
    assert sum(eb.nets(economy).values()) == 0
    # Nothing in the half-year before the joining date.
    earlier = initiative_economy(initiative, "2025H2")
    assert all(r.buy_in == 0 for r in earlier.rows)


def test_the_key_in_force_on_the_costs_date_decides():
    w = eb.money_world()
    AllocationKey.objects.create(
        portfolio=w.portfolio,
        valid_from=dt.date(2026, 4, 1),
        population_weight=50,
        equal_weight=50,
        hourly_rate=1000,
    )
    initiative = eb.initiative(w)
    eb.actual(w, initiative, 300_000, dt.date(2026, 3, 1))
    eb.actual(w, initiative, 300_000, dt.date(2026, 5, 1))
    eb.hours(w, initiative, "1438", 2, dt.date(2026, 3, 1))
    eb.hours(w, initiative, "1438", 2, dt.date(2026, 5, 1))
    economy = portfolio_economy(w.portfolio, H1)
    assert economy.row_for("1438").hours_value == 2 * 700 + 2 * 1000
    # Each pool carries the hours valued under its own key.
    old = expected(300_000 + 1400, eb.DALSLAND)
    new = expected(300_000 + 2000, eb.DALSLAND, w_pop=50)
    assert eb.column(economy, "allocated") == {c: old[c] + new[c] for c in eb.DALSLAND}
    assert sum(eb.nets(economy).values()) == 0


def test_program_portfolio_and_municipality_views_agree_on_the_totals():
    w = eb.money_world()
    first = eb.initiative(w)
    second = eb.initiative(w, participants=FIVE_D)
    eb.actual(w, first, 100_000, dt.date(2026, 2, 1), paid_by="1487")
    eb.actual(w, second, 200_000, dt.date(2026, 2, 1), paid_by="1460")
    eb.hours(w, second, "1492", 8, dt.date(2026, 2, 1))
    by_portfolio = portfolio_economy(w.portfolio, H1)
    by_program = program_economy(w.program, H1)
    assert by_portfolio.total_costs == by_program.total_costs == 300_000 + 8 * 700
    assert eb.column(by_portfolio, "paid") == eb.column(by_program, "paid")
    assert len(by_portfolio.rows) == 6
    mine = municipality_economy(factories.municipality("1492"), H1, user=w.director)
    assert [e.scope_id for e in mine] == [w.portfolio.pk]
    assert mine[0].row_for("1492").hours_value == 5600
    assert w.portfolio.pk in {e.scope_id for e in all_portfolios_economy(H1)}


def test_an_outsider_sees_no_portfolio_in_the_municipality_view():
    w = eb.money_world()
    assert municipality_economy(factories.municipality("1460"), H1, user=w.outsider) == []


def _busy_initiative(w, n):
    initiative = eb.initiative(w, participants=FOUR_D)
    eb.actual(w, initiative, 10_000 * n, dt.date(2025, 5, 1))
    eb.actual(w, initiative, 1_000 * n, dt.date(2026, 2, 1), paid_by="1438")
    eb.hours(w, initiative, "1439", n, dt.date(2026, 3, 1))
    if n % 2:
        eb.join(initiative, "1492", dt.date(2026, 3, 15))
    else:
        eb.join(initiative, "1487", dt.date(2025, 1, 1), left_on=dt.date(2026, 4, 30))
    return initiative


def test_portfolio_economy_queries_do_not_grow_with_the_number_of_initiatives():
    w = eb.money_world()
    for n in (1, 2):
        _busy_initiative(w, n)
    with CaptureQueriesContext(connection) as few:
        portfolio_economy(w.portfolio, H1)
    for n in range(3, 15):
        _busy_initiative(w, n)
    with CaptureQueriesContext(connection) as many:
        economy = portfolio_economy(w.portfolio, H1)
    assert len(many) == len(few)
    assert sum(eb.nets(economy).values()) == 0
    assert any(r.buy_in for r in economy.rows)


def test_hundredths_of_hours_stay_exact():
    w = eb.money_world(hourly_rate=1000)
    initiative = eb.initiative(w)
    for _ in range(3):
        eb.hours(w, initiative, "1460", "0.29", dt.date(2026, 2, 1))
    economy = initiative_economy(initiative, H1)
    assert economy.row_for("1460").hours == Decimal("0.87")
    assert economy.row_for("1460").hours_value == 870
