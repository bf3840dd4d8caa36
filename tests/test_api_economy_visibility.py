"""Economy and reports by kommunkod: the figures of a portfolio outside the caller's
constellations never show, and a municipality outside them answers like an unknown code."""

import datetime as dt

import economy_builders as eb
import factories
import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from portfolio.choices import CostKind, CostNature
from portfolio.services import costs
from reports.models import ReportJob

pytestmark = pytest.mark.django_db
FOUR_D = ("1460", "1438", "1439", "1461")
PERIOD = "2026H1"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def two_portfolios():
    """Bengtsfors pays in the Dalsland-six portfolio and in a 4D portfolio."""
    w = eb.money_world()
    dalsland = eb.initiative(w)
    eb.actual(w, dalsland, 600_000, dt.date(2026, 2, 1))
    four_d = factories.portfolio(factories.constellation(FOUR_D), name="4D-portföljen")
    four_d_initiative = factories.initiative(four_d, factories.program(four_d))
    for code in FOUR_D:
        eb.join(four_d_initiative, code, dt.date(2025, 1, 1))
    costs.cost_entry_create(
        actor=factories.user("1461", Role.COORDINATOR),
        initiative=four_d_initiative,
        kind=CostKind.DEVELOPMENT,
        nature=CostNature.ACTUAL,
        period=dt.date(2026, 3, 1),
        amount=987_654,
        paid_by=factories.municipality("1461"),
    )
    return w, four_d


def test_a_vanersborg_user_sees_bengtsfors_only_in_the_portfolio_they_share(two_portfolios):
    w, four_d = two_portfolios
    vanersborg = factories.user("1487", Role.IT_MANAGER)  # Dalsland six, not 4D
    body = client_for(vanersborg).get(f"/api/v1/economy/municipalities/1460/?period={PERIOD}")
    assert body.status_code == 200
    data = body.json()
    assert [p["portfolio"] for p in data["portfolios"]] == [w.portfolio.pk]
    assert "4D-portföljen" not in body.content.decode()
    assert "987654" not in body.content.decode()
    row = data["portfolios"][0]["row"]
    assert row["paid"] == 600_000

    # A 4D member sees both, with the 4D portfolio's figures.
    mellerud = factories.user("1461", Role.DIRECTOR)
    both = client_for(mellerud).get(f"/api/v1/economy/municipalities/1460/?period={PERIOD}")
    assert {p["portfolio"] for p in both.json()["portfolios"]} == {w.portfolio.pk, four_d.pk}


def test_a_municipality_outside_the_callers_constellations_answers_like_an_unknown_code(
    two_portfolios,
):
    w, _four_d = two_portfolios
    outsider = client_for(w.outsider)  # Skara's samordnare: V6, not Dalsland
    foreign = outsider.get(f"/api/v1/economy/municipalities/1460/?period={PERIOD}")
    unknown = outsider.get(f"/api/v1/economy/municipalities/9999/?period={PERIOD}")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert "Bengtsfors" not in foreign.content.decode()
    # The caller's own municipality still answers (no portfolio of theirs here).
    own = outsider.get(f"/api/v1/economy/municipalities/1495/?period={PERIOD}")
    assert own.status_code == 200
    assert own.json()["portfolios"] == []


def test_a_code_that_is_no_kommunkod_is_404(two_portfolios):
    api = client_for(two_portfolios[0].director)
    for code in ("9999", "14600", "abc", "14%00"):
        assert api.get(f"/api/v1/economy/municipalities/{code}/").status_code == 404, code


def test_scenarios_cannot_reach_another_constellations_costs(two_portfolios):
    w, four_d = two_portfolios
    outsider = client_for(w.outsider)
    initiative = w.portfolio.initiatives.get()
    for body in (
        {"initiative": initiative.pk, "sets": {"X": ["1460"]}},
        {"program": w.program.pk, "sets": {"X": ["1460"]}},
    ):
        assert outsider.post("/api/v1/scenarios/", body, format="json").status_code == 404
    named = outsider.post(
        "/api/v1/scenarios/",
        {"amount": 5, "sets": {"X": four_d.constellation.short_name}},
        format="json",
    )
    assert named.status_code == 400
    assert "sets.X" in named.json()["errors"]


def test_a_municipality_report_covers_only_the_portfolios_the_orderer_sees(two_portfolios):
    w, four_d = two_portfolios
    bengtsfors = factories.municipality("1460")
    vanersborg = client_for(factories.user("1487", Role.IT_MANAGER))
    ordered = vanersborg.post(
        "/api/v1/reports/",
        {"kind": "municipality_report", "municipality": bengtsfors.pk, "period": PERIOD},
        format="json",
    )
    assert ordered.status_code == 202, ordered.json()
    job = ReportJob.objects.get(pk=ordered.json()["id"])
    assert job.parameters["portfolio_ids"] == [w.portfolio.pk]

    refused = client_for(w.outsider).post(
        "/api/v1/reports/",
        {"kind": "municipality_report", "municipality": bengtsfors.pk, "period": PERIOD},
        format="json",
    )
    assert refused.status_code == 404
