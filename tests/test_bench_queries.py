"""Query budgets of the pages the benchmark measures: constant in the number of rows.

The benchmark reports timings; these tests fix what must not regress with data: the
statements one request runs (≤ 10 for a list page, ≤ 20 for the dashboard), the same
for a portfolio twice the size. Built with the benchmark's own generator, tiny scale.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from accounts.models import User
from portfolio.bench.dataset import TINY
from portfolio.bench.load import generate
from portfolio.models import Initiative, Portfolio

pytestmark = pytest.mark.django_db

LIST_BUDGET = 10
DASHBOARD_BUDGET = 20


@pytest.fixture
def portfolios():
    """The largest and the smallest portfolio of the tiny national dataset."""
    generate(7, TINY)
    sizes = sorted(
        Portfolio.objects.all(), key=lambda p: Initiative.objects.filter(portfolio=p).count()
    )
    small, large = sizes[0], sizes[-1]
    small_n = Initiative.objects.filter(portfolio=small).count()
    large_n = Initiative.objects.filter(portfolio=large).count()
    assert large_n >= 2 * small_n
    return small, large


def _director(portfolio) -> User:
    first = portfolio.constellation.members.order_by("code").first()
    return User.objects.get(username=f"kd.{first.code}")


def _queries(portfolio, path: str) -> int:
    assert _exists(path), f"{path} answers nothing: the benchmark measures this page"
    client = Client()
    client.force_login(_director(portfolio), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(path).status_code == 200  # warms per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _exists(path: str) -> bool:
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def test_list_page_runs_the_same_few_queries_whatever_the_portfolio_size(portfolios):
    small, large = portfolios
    counts = [_queries(p, f"/api/v1/initiatives/?portfolio={p.pk}&page=1") for p in portfolios]
    assert counts[0] == counts[1], f"liten {small}: {counts[0]}, stor {large}: {counts[1]}"
    assert counts[1] <= LIST_BUDGET


def test_export_runs_the_same_queries_whatever_the_portfolio_size(portfolios):
    counts = [_queries(p, f"/api/v1/initiatives/export/?portfolio={p.pk}") for p in portfolios]
    assert counts[0] == counts[1]
    assert counts[1] <= LIST_BUDGET


def test_dashboard_queries_do_not_grow_with_the_portfolio(portfolios):
    small, large = (_queries(p, f"/portfoljer/{p.pk}/") for p in portfolios)
    # The economy adds four detail queries (per-month costs and hours, joiners) only when
    # some participant joins or leaves inside the period: a constant, not one per row.
    assert small <= large <= small + 4


def test_dashboard_stays_within_its_query_budget(portfolios):
    """Counted on the second view: the portfolio's economy, costs against budget and
    trend are cached until the next write (portfolio_cache); the first view after a
    write computes them (about 20 statements more, also constant in N)."""
    assert _queries(portfolios[1], f"/portfoljer/{portfolios[1].pk}/") <= DASHBOARD_BUDGET
