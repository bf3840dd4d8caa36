"""Figures derived from a whole portfolio, kept in Django's cache between page views.

The dashboard and the board report show a portfolio's economy per half-year, its costs
against budget and its follow-up trend; each reads every cost, time entry or decision
of the portfolio. Every write to a portfolio goes through a service that keeps history
(`history_record`, `settings_record`) or changes the economy (`portfolio_changed`
below); inside its transaction it marks the portfolio changed, and after commit the
portfolio's version moves on and every cached figure of it is forgotten at once.
Population figures and constellation membership move it through `portfolio.receivers`.
Rows written past all of these (raw SQL, bulk loads) show after at most TIMEOUT seconds.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from ..periods import Period
from .economy import as_period, portfolio_economy
from .economy_tools import BudgetRow, costs_against_budget
from .economy_types import Economy
from .indicators import indicator_trend

TIMEOUT = 10 * 60
# Part of every key; tests give each test its own (tests/conftest.py) so that a
# portfolio id reused after a rollback never meets another test's figures.
NAMESPACE = "portfolio"


def _version_key(portfolio_id: int) -> str:
    return f"{NAMESPACE}:version:{portfolio_id}"


def portfolio_changed(portfolio_id: int) -> None:
    """Forget the portfolio's cached figures once the current transaction commits."""
    key = _version_key(portfolio_id)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def _version(portfolio_id: int) -> str:
    version = cache.get(_version_key(portfolio_id))
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(_version_key(portfolio_id), version, None):
            version = cache.get(_version_key(portfolio_id), version)
    return version


def _cached(portfolio_id: int, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` (plain data: it is pickled), or what it gave for this version."""
    key = f"{NAMESPACE}:{portfolio_id}:{_version(portfolio_id)}:{name}"
    stored = cache.get(key)
    if stored is None:
        stored = compute()
        cache.set(key, stored, TIMEOUT)
    return stored


def cached_unless_filtered(filtered: bool, portfolio, name: str, compute: Callable[[], Any]):
    """A figure over the whole portfolio is cached; one over a filtered part is computed."""
    return compute() if filtered else _cached(portfolio.pk, name, compute)


def cached_portfolio_economy(portfolio, period) -> Economy:
    period: Period = as_period(period)

    def compute():
        economy = portfolio_economy(portfolio, period)
        return {"economy": economy.as_dict(), "settled": economy.settled}

    stored = _cached(portfolio.pk, f"economy:{period.label}", compute)
    return Economy.from_dict(stored["economy"], period, settled=stored["settled"])


def cached_costs_against_budget(portfolio, until=None) -> list[BudgetRow]:
    # Names of missing programs are stored blank: they are translated when shown.
    rows = _cached(
        portfolio.pk,
        f"budget:{until.isoformat()}" if until else "budget",
        lambda: [
            (r.program_id, r.program_name if r.program_id else "", r.year)
            + (r.budget, r.estimate, r.actual)
            for r in costs_against_budget(portfolio, until)
        ],
    )
    return [
        BudgetRow(program_id, name or _("Utan program"), *figures)
        for program_id, name, *figures in rows
    ]


def cached_indicator_trend(portfolio, periods: list[Period]) -> dict[str, list[int]]:
    labels = ",".join(p.label for p in periods)
    return _cached(portfolio.pk, f"trend:{labels}", lambda: indicator_trend(portfolio, periods))
