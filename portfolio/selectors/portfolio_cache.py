"""Figures derived from a whole portfolio, kept in Django's cache between page views.

The dashboard, the economy pages and the board report show a portfolio's economy per
half-year, its costs against budget, its follow-up trend, its counts per stage and
health and the initiatives awaiting a decision; each reads every cost, time entry or
decision of the portfolio. Most are kept write by write (portfolio_ledger): a write to
an initiative goes through `history_record`, which calls `initiative_changed`, and after
commit only that initiative's part of each kept figure is read again.

A write that changes the whole portfolio (settings via `settings_record`, allocation
keys, settlement, population figures and constellation members via `portfolio.receivers`)
calls `portfolio_changed`: after commit the portfolio's version moves on and every
figure of it is forgotten at once. Figures computed by `_cached` (costs as they stood
on a day) are also forgotten after any write to an initiative. Rows written past all of
these (raw SQL, bulk loads) show after at most TIMEOUT seconds.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import Initiative
from ..periods import Period
from . import ledger_dashboard, ledger_economy, portfolio_ledger
from .dashboard import AwaitingDecision
from .economy import active_period_of, as_period, municipality_portfolios
from .economy_tools import BudgetRow, costs_against_budget
from .economy_types import Economy

logger = logging.getLogger(__name__)
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


def initiative_changed(portfolio_id: int, initiative_id: int) -> None:
    """Once the current transaction commits, replace what the initiative contributes to
    every kept figure of its portfolio (portfolio_ledger); the other cached figures of
    the portfolio are computed anew."""
    portfolio_ledger.on_commit_patch(portfolio_id, initiative_id, _patch)


def _patch(portfolio_id: int, initiative_ids: list[int]) -> None:
    version = _version(portfolio_id)
    try:
        patched = portfolio_ledger.patch(NAMESPACE, portfolio_id, version, initiative_ids, TIMEOUT)
    except Exception:
        # The write is committed: whatever went wrong here, its answer must not fail.
        # Forgetting every figure is always correct.
        logger.exception("portfolio.ledger.patch_failed portfolio=%s", portfolio_id)
        patched = False
    if not patched:
        cache.set(_version_key(portfolio_id), uuid.uuid4().hex, None)


def _ledger(portfolio, kind, arg: str = "") -> Any:
    return portfolio_ledger.figure(NAMESPACE, portfolio, _version(portfolio.pk), kind, arg, TIMEOUT)


def _cached(portfolio_id: int, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` (plain data: it is pickled), or what it gave for this version and
    since the portfolio's last write to an initiative."""
    version = f"{_version(portfolio_id)}.{portfolio_ledger.seq(NAMESPACE, portfolio_id)}"
    key = f"{NAMESPACE}:{portfolio_id}:{version}:{name}"
    stored = cache.get(key)
    if stored is None:
        stored = compute()
        cache.set(key, stored, TIMEOUT)
    return stored


def cached_unless_filtered(filtered: bool, portfolio, name: str, compute: Callable[[], Any]):
    """A figure over the whole portfolio is cached; one over a filtered part is computed."""
    return compute() if filtered else _cached(portfolio.pk, name, compute)


def pipeline_counts(portfolio):
    """dashboard.pipeline_by_program over the whole portfolio, kept write by write."""
    return _ledger(portfolio, ledger_dashboard.PIPELINE)


def health_counts(portfolio):
    """dashboard.health_counts over the whole portfolio, kept write by write."""
    return _ledger(portfolio, ledger_dashboard.HEALTH)


def awaiting_decisions(portfolio) -> list[AwaitingDecision]:
    """dashboard.awaiting_decisions over the whole portfolio, kept write by write (the
    reasons in the active language); each initiative carries what the page shows of it."""
    rows = _ledger(portfolio, ledger_dashboard.AWAITING, get_language() or "sv")
    return [
        AwaitingDecision(
            Initiative(pk=pk, portfolio=portfolio, reference=reference, title=title),
            gate,
            met,
            total,
            unmet,
        )
        for pk, gate, met, total, unmet, reference, title in rows
    ]


def cached_portfolio_economy(portfolio, period) -> Economy:
    period: Period = as_period(period)
    stored = _ledger(portfolio, ledger_economy.ECONOMY, period.key)
    return Economy.from_dict(stored["economy"], period, settled=stored["settled"])


def latest_active_period(portfolio) -> Period:
    """economy.latest_active_period of the whole portfolio, kept write by write."""
    today = timezone.localdate()
    day = _ledger(portfolio, ledger_economy.ACTIVITY, today.isoformat())
    return active_period_of([dt.date.fromisoformat(day)] if day else [], today)


def cached_municipality_economy(municipality, period, user=None) -> list[Economy]:
    """economy.municipality_economy from each portfolio's kept economy."""
    period = as_period(period)
    return [
        cached_portfolio_economy(portfolio, period)
        for portfolio in municipality_portfolios(municipality, period, user)
    ]


def cached_costs_against_budget(portfolio, until=None) -> list[BudgetRow]:
    # Names of missing programs are stored blank: they are translated when shown.
    if until is None:
        rows = _ledger(portfolio, ledger_economy.BUDGET)
    else:
        rows = _cached(
            portfolio.pk,
            f"budget:{until.isoformat()}",
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
    return _ledger(portfolio, ledger_dashboard.TREND, ",".join(p.key for p in periods))
