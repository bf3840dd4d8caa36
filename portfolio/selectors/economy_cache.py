"""A portfolio's economy per half-year, kept in Django's cache between page views.

Computing it reads every cost and time entry of the portfolio (~16 queries); the
dashboard shows it on every view. Every write that changes it (cost and time entries,
participations, allocation keys, settlements) calls `economy_changed` inside its
transaction; after commit the portfolio's version moves on and every cached period of
it is forgotten at once. Writes outside those services (data imports, population
figures, membership of a constellation) show after at most TIMEOUT seconds.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

from ..periods import Period
from .economy import as_period, portfolio_economy
from .economy_types import Economy

TIMEOUT = 10 * 60
# Part of every key; tests give each test its own (tests/conftest.py) so that a
# portfolio id reused after a rollback never meets another test's figures.
NAMESPACE = "economy"


def _version_key(portfolio_id: int) -> str:
    return f"{NAMESPACE}:version:{portfolio_id}"


def economy_changed(portfolio_id: int) -> None:
    """Forget the portfolio's cached economies once the current transaction commits."""
    key = _version_key(portfolio_id)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def cached_portfolio_economy(portfolio, period) -> Economy:
    period: Period = as_period(period)
    version = cache.get(_version_key(portfolio.pk))
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(_version_key(portfolio.pk), version, None):
            version = cache.get(_version_key(portfolio.pk), version)
    key = f"{NAMESPACE}:{portfolio.pk}:{version}:{period.label}"
    stored = cache.get(key)
    if stored is not None:
        return Economy.from_dict(stored["economy"], period, settled=stored["settled"])
    economy = portfolio_economy(portfolio, period)
    cache.set(key, {"economy": economy.as_dict(), "settled": economy.settled}, TIMEOUT)
    return economy
