"""The benchmark's report: each figure judged against its target, gaps said as gaps."""

import pytest

from portfolio.bench.dataset import TINY, spread
from portfolio.bench.report import document, not_available
from portfolio.bench.stats import percentile, summary


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.5) == 50
    assert summary([3.0, 1.0, 2.0])["median_ms"] == 2.0


def test_targets_are_met_missed_or_not_measured():
    report = document(
        {},
        {},
        {
            "list": {"median_ms": 12.0, "floor_ratio": 4.0, "requests_per_second": 95.0},
            "dashboard": not_available("finns inte ännu"),
        },
    )
    by_name = {t["name"]: t for t in report["targets"]}
    assert by_name["list page median"]["met"] is True
    assert by_name["list page vs PostgreSQL floor"]["met"] is False
    assert by_name["list requests per second, 4 clients"]["met"] is True
    assert by_name["dashboard p95"]["met"] is None
    assert by_name["dashboard p95"]["measured"] is None
    assert "list page vs PostgreSQL floor" in report["targets_missed"]
    assert "dashboard p95" in report["targets_not_measured"]


def test_a_refused_or_failed_answer_makes_a_figure_invalid_never_a_pass():
    report = document(
        {},
        {},
        {
            "dashboard": {"status": "ok", "p95_ms": 90.0, "queries_error": "HTTP 302"},
            "dashboard_after_write": {"status": "error", "http_status": 500},
            "dashboard_rounds": {"status": "ok", "p95_ms": 120.0},
        },
    )
    by_name = {t["name"]: t for t in report["targets"]}
    assert by_name["dashboard right after a write p95"]["met"] is False
    assert by_name["dashboard right after a write p95"]["invalid"] == "HTTP 500"
    assert by_name["dashboard p95"]["met"] is True
    assert by_name["dashboard queries per request"]["met"] is False  # never counted
    assert by_name["dashboard queries per request"]["invalid"] == "HTTP 302"
    assert by_name["dashboard, nothing written since, p95"]["met"] is True


def test_spread_is_exact_and_within_bounds():
    counts = spread(100, [1.0, 2.0, 3.0], [5, 5, 5], [40, 40, 40])
    assert sum(counts) == 100
    assert all(5 <= c <= 40 for c in counts)
    with pytest.raises(ValueError):
        spread(200, [1.0, 1.0], [0, 0], [50, 50])


@pytest.mark.postgres
@pytest.mark.django_db
def test_regenerating_with_the_same_seed_gives_the_same_rows():
    """On PostgreSQL the generator empties its tables first (TRUNCATE, inside the test's
    transaction); the same seed gives the same rows, ids included."""
    from django.db import connection

    from portfolio.bench.load import generate

    def fingerprint():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM portfolio_timeentry t"
            )
            hours = cursor.fetchone()[0]
            cursor.execute(
                "SELECT md5(string_agg(d::text, ',' ORDER BY id)) FROM portfolio_gatedecision d"
            )
            return hours, cursor.fetchone()[0]

    generate(11, TINY, clear=True)
    first = fingerprint()
    generate(11, TINY, clear=True)
    assert fingerprint() == first
