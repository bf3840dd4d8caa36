"""The dashboard's SQL queries do not grow with the number of initiatives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboard_data import populated_portfolio

pytestmark = pytest.mark.django_db

# The count is fixed whatever the number of initiatives. Of these, 16 are the economy
# selectors' (costs against budget and the allocation per municipality); the target
# for the page as a whole is 20.
QUERY_BUDGET = 40


def _dashboard_queries(client, count: int) -> int:
    portfolio, director = populated_portfolio(count)
    client.force_login(director)
    url = reverse("portfolio:dashboard", args=[portfolio.pk])
    client.get(url)  # warm caches that are not per request (content types, sites)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + "?period=2026H1")
    assert response.status_code == 200
    assert f"Initiativ {count}" in response.content.decode() or count > 25
    return len(queries)


def test_dashboard_query_count_is_the_same_for_10_and_500_initiatives(client):
    small = _dashboard_queries(client, 10)
    large = _dashboard_queries(client, 500)
    assert small == large, f"{small} queries for 10 initiatives, {large} for 500"
    assert large <= QUERY_BUDGET


def test_filtered_dashboard_query_count_does_not_grow(client):
    portfolio, director = populated_portfolio(60)
    client.force_login(director)
    program = portfolio.programs.first()
    url = reverse("portfolio:dashboard", args=[portfolio.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"program": program.pk, "health": "gul", "q": "Initiativ"})
    assert response.status_code == 200
    assert len(queries) <= QUERY_BUDGET + 2  # the filter's choices are read once each
