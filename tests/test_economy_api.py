"""Costs, hours, allocations, settlement and scenarios through /api/v1/."""

import datetime as dt

import economy_builders as eb
import factories
import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from portfolio.models import CostEntry, HistoryEntry, SettledPeriod

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def state():
    w = eb.money_world()
    initiative = eb.initiative(w)
    return w, initiative


def test_an_it_chef_enters_costs_and_hours_for_their_municipality(state):
    w, initiative = state
    api = client_for(w.itchef)
    url = f"/api/v1/initiatives/{initiative.pk}/costs/"
    created = api.post(
        url,
        {
            "kind": "utveckling",
            "nature": "utfall",
            "period": "2026-02-01",
            "amount": 50000,
            "paid_by": "1460",
            "description": "Konsult",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["paid_by"] == "1460"
    assert api.get(url).json()[0]["amount"] == 50000
    other = api.post(
        url,
        {
            "kind": "utveckling",
            "nature": "utfall",
            "period": "2026-02-01",
            "amount": 5,
            "paid_by": "1438",
        },
        format="json",
    )
    assert other.status_code == 403
    hours = api.post(
        f"/api/v1/initiatives/{initiative.pk}/time-entries/",
        {"municipality": "1460", "period": "2026-02-02", "hours": "12.5", "role": "Testare"},
        format="json",
    )
    assert hours.status_code == 201, hours.json()
    economy = api.get(f"/api/v1/economy/initiatives/{initiative.pk}/?period=2026H1").json()
    assert economy["total_costs"] == 50000 + 8750
    assert economy["nets_sum"] == 0


def test_bad_entries_get_400_with_field_messages_and_nothing_is_written(state):
    w, initiative = state
    api = client_for(w.coordinator)
    url = f"/api/v1/initiatives/{initiative.pk}/costs/"
    for payload, field in (
        (
            {"kind": "utveckling", "nature": "utfall", "period": "2026-02-01", "amount": 5},
            "paid_by",
        ),
        ({"kind": "x", "nature": "utfall", "period": "2026-02-01", "amount": 5}, "kind"),
        ({"kind": "drift", "nature": "estimat", "period": "igår", "amount": 5}, "period"),
        ({"kind": "drift", "nature": "estimat", "period": "2026-02-01", "amount": -5}, "amount"),
        (
            {
                "kind": "drift",
                "nature": "estimat",
                "period": "2026-02-01",
                "amount": 5,
                "paid_by": "9999",
            },
            "paid_by",
        ),
    ):
        response = api.post(url, payload, format="json")
        assert response.status_code == 400, payload
        assert field in response.json()["errors"]
    assert CostEntry.objects.count() == 0


def test_corrections_and_removals_through_the_api(state):
    w, initiative = state
    entry = eb.actual(w, initiative, 1000, dt.date(2026, 2, 1))
    api = client_for(w.coordinator)
    corrected = api.patch(
        f"/api/v1/cost-entries/{entry.pk}/", {"amount": 2000, "version": 1}, format="json"
    )
    assert corrected.json()["amount"] == 2000
    assert corrected["ETag"] == '"2"'
    deleted = api.delete(f"/api/v1/cost-entries/{entry.pk}/", HTTP_IF_MATCH='"2"')
    assert deleted.status_code == 204
    assert HistoryEntry.objects.filter(entity="cost_entry", action="deleted").exists()


def test_outsiders_get_404_everywhere(state):
    w, initiative = state
    entry = eb.actual(w, initiative, 1000, dt.date(2026, 2, 1))
    api = client_for(w.outsider)
    for url in (
        f"/api/v1/initiatives/{initiative.pk}/costs/",
        f"/api/v1/cost-entries/{entry.pk}/",
        f"/api/v1/economy/initiatives/{initiative.pk}/",
        f"/api/v1/economy/portfolios/{w.portfolio.pk}/",
        f"/api/v1/economy/programs/{w.program.pk}/",
        f"/api/v1/settlements/portfolios/{w.portfolio.pk}/",
    ):
        assert api.get(url).status_code == 404, url
    assert api.get("/api/v1/economy/municipalities/1460/?period=2026H1").status_code == 404


def test_settlement_lists_transfers_and_settles_once(state):
    w, initiative = state
    eb.actual(w, initiative, 1_000_000, dt.date(2025, 8, 1))
    url = f"/api/v1/settlements/portfolios/{w.portfolio.pk}/"
    api = client_for(w.coordinator)
    listing = client_for(w.director).get(url + "?period=2025H2").json()
    assert listing["settled"] is False and listing["decision"] is None
    assert sum(t["amount"] for t in listing["transfers"]) == 1_000_000 - 122_207
    assert api.get(url + "?period=2025H9").status_code == 400
    decision = {"period": "2025H2", "decided_on": "2026-02-12", "meeting_reference": "§ 4"}
    # Locking is the board's decision: neither an IT-chef nor a lone director may lock.
    for person in (w.itchef, w.director):
        assert client_for(person).post(url, decision, format="json").status_code == 403
    missing = api.post(url, {"period": "2025H2"}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) >= {"decided_on", "meeting_reference"}
    early = api.post(url, {**decision, "decided_on": "2025-12-01"}, format="json")
    assert early.status_code == 400 and "decided_on" in early.json()["errors"]
    done = api.post(url, decision, format="json")
    assert done.status_code == 201
    assert done.json()["transfers"] == listing["transfers"]
    assert done.json()["decision"]["meeting_reference"] == "§ 4"
    assert done.json()["decision"]["body"] == "Portföljstyrgrupp"
    shown = client_for(w.director).get(url + "?period=2025H2").json()
    assert shown["decision"]["decided_on"] == "2026-02-12"
    assert api.post(url, decision, format="json").status_code == 409
    assert api.post(url, {**decision, "period": "2026H2"}, format="json").status_code == 400
    assert SettledPeriod.objects.count() == 1
    economy = api.get(f"/api/v1/economy/portfolios/{w.portfolio.pk}/?period=2025H2").json()
    assert economy["settled"] is True


def test_scenarios_compare_constellations_per_municipality_and_inhabitant(state):
    w, _initiative = state
    four_d = factories.constellation(("1460", "1438", "1439", "1461"))
    api = client_for(w.director)
    response = api.post(
        "/api/v1/scenarios/",
        {
            "amount": 1000000,
            "sets": {"4D": four_d.short_name, "Alla sex": list(eb.DALSLAND)},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["totals"] == {"4D": 1000000, "Alla sex": 1000000}
    bengtsfors = next(r for r in body["rows"] if r["municipality"] == "1460")
    assert bengtsfors["scenarios"]["Alla sex"]["amount"] == 122207
    assert bengtsfors["scenarios"]["4D"]["amount"] > 122207
    vanersborg = next(r for r in body["rows"] if r["municipality"] == "1487")
    assert vanersborg["scenarios"]["4D"] is None
    assert bengtsfors["scenarios"]["Alla sex"]["per_inhabitant"] == "13.65"
    bad = api.post(
        "/api/v1/scenarios/", {"amount": 5, "sets": {"X": ["1460", "0000"]}}, format="json"
    )
    assert bad.status_code == 400
    assert "sets.X" in bad.json()["errors"]
    unknown = api.post("/api/v1/scenarios/", {"amount": 5, "sets": {"X": "Okänd"}}, format="json")
    assert unknown.status_code == 400


def test_scenario_of_an_initiative_uses_its_estimates(state):
    w, initiative = state
    eb.estimate(w, initiative, 600_000, dt.date(2026, 2, 1))
    api = client_for(factories.user("1460", Role.PROGRAM_MANAGER))
    body = api.post(
        "/api/v1/scenarios/",
        {"initiative": initiative.pk, "sets": {"5D": ["1460", "1438", "1439", "1461", "1492"]}},
        format="json",
    ).json()
    assert body["amount"] == 600_000
    assert body["totals"]["5D"] == 600_000
