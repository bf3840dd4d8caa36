"""The figures other areas own, read through their contracts.

Money comes from `portfolio.selectors.economy` (the same functions the pages use), so
a document shows exactly what the screen shows; so do the follow-up indicators.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from portfolio.choices import ParticipationStatus
from portfolio.models import AllocationKey, Initiative
from portfolio.periods import Period
from portfolio.selectors.decision_basis import decision_basis
from portfolio.selectors.economy import (
    allocation_preview,
    municipality_economy,
    portfolio_economy,
)
from portfolio.selectors.indicators import portfolio_indicators
from portfolio.selectors.keys import portfolio_key_in_force
from portfolio.selectors.portfolio_cache import cached_costs_against_budget

__all__ = [
    "allocation_for",
    "allocation_key",
    "budget_rows",
    "decision_basis",
    "indicators",
    "municipality_economy",
    "portfolio_economy",
    "stage_counts",
]


def allocation_key(portfolio, on: dt.date) -> AllocationKey | None:
    return portfolio_key_in_force(portfolio, on)


def participants(initiative: Initiative) -> list:
    """The municipalities that take part, in name order."""
    return sorted(
        (
            p.municipality
            for p in initiative.participations.all()
            if p.status == ParticipationStatus.PARTICIPATING
        ),
        key=lambda m: m.name,
    )


def allocation_for(initiative: Initiative, amount: int, on: dt.date) -> list:
    """`amount` split by the portfolio's key over the initiative's participants.

    Rows (code, name, population, share, amount) from the allocation preview, in
    name order; empty when nobody takes part yet.
    """
    members = participants(initiative)
    key = allocation_key(initiative.portfolio, on)
    if not members or key is None:
        return []
    return allocation_preview(
        municipalities=[m.code for m in members],
        amount=amount,
        population_weight=key.population_weight,
        equal_weight=key.equal_weight,
        population_year=key.population_year,
    )


def budget_rows(portfolio, year: int, until: dt.date | None = None) -> list:
    """The year's budget rows; `until`: as the costs stood on that day."""
    return [row for row in cached_costs_against_budget(portfolio, until) if row.year == year]


def indicators(portfolio, period: Period):
    """The V6 follow-up indicators, as the dashboard's follow-up page shows them."""
    return portfolio_indicators(portfolio, period)


def stage_counts(initiatives) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for initiative in initiatives:
        counts[initiative.stage] += 1
    return counts
