"""Programs, program budgets and the portfolio's settings carry a version: reads show it
as an ETag, and a change made from an outdated read (API or page) is refused instead of
overwriting. Every PATCH names only known fields and at least one change."""

import datetime as dt

import economy_builders as eb
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portfolio.models import GateCriterion, Portfolio, Program, ProgramBudget, SettingsChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def state():
    w = eb.money_world()
    api = APIClient()
    api.force_authenticate(w.coordinator)
    ProgramBudget.objects.create(program=w.program, year=2027, amount=500_000)
    return w, api


def _edits(w):
    """(url, method, first change, second change) for each newly versioned record."""
    base = f"/api/v1/portfolios/{w.portfolio.pk}"
    return [
        (f"{base}/programs/{w.program.pk}/", "patch", {"name": "Först"}, {"name": "Sist"}),
        (
            f"{base}/programs/{w.program.pk}/budgets/2027/",
            "put",
            {"amount": 600_000},
            {"amount": 700_000},
        ),
        (f"{base}/settings/", "patch", {"sender": "Först"}, {"sender": "Sist"}),
    ]


def test_an_edit_from_an_outdated_read_is_refused(state):
    w, api = state
    for url, method, first, second in _edits(w):
        send = getattr(api, method)
        seen = api.get(url)["ETag"]
        assert seen == '"1"', url
        saved = send(url, first, format="json", HTTP_IF_MATCH=seen)
        assert saved.status_code == 200 and saved["ETag"] == '"2"', url
        assert saved.json()["version"] == 2, url
        stale = send(url, second, format="json", HTTP_IF_MATCH=seen)
        assert stale.status_code == 412 and stale.json()["code"] == "stale_version", url
        stale_body = send(url, {**second, "version": 1}, format="json")
        assert stale_body.status_code == 409 and stale_body.json()["code"] == "stale_version"
        fresh = send(url, {**second, "version": 2}, format="json")
        assert fresh.status_code == 200 and fresh["ETag"] == '"3"', url
    assert Program.objects.get(pk=w.program.pk).name == "Sist"
    assert ProgramBudget.objects.get(program=w.program, year=2027).amount == 700_000
    assert Portfolio.objects.get(pk=w.portfolio.pk).sender == "Sist"
    assert SettingsChange.objects.filter(action="updated").count() == 6


def test_a_budget_for_a_year_without_one_is_refused_when_a_version_is_claimed(state):
    w, api = state
    url = f"/api/v1/portfolios/{w.portfolio.pk}/programs/{w.program.pk}/budgets/2028/"
    assert api.get(url).status_code == 404
    assert api.put(url, {"amount": 1}, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    assert api.put(url, {"amount": 1, "version": 1}, format="json").status_code == 409
    assert not ProgramBudget.objects.filter(program=w.program, year=2028).exists()
    created = api.put(url, {"amount": 1}, format="json")
    assert created.status_code == 200 and created["ETag"] == '"1"'


def test_a_stale_settings_page_is_refused_with_a_clear_message(state, client):
    w, api = state
    client.force_login(w.coordinator)
    base = f"/api/v1/portfolios/{w.portfolio.pk}"
    pages = [
        (
            reverse("portfolio:settings-program-edit", args=[w.portfolio.pk, w.program.pk]),
            {"name": "Från sidan"},
            ("patch", f"{base}/programs/{w.program.pk}/", {"name": "Från API:t"}),
        ),
        (
            reverse("portfolio:settings-program-budget", args=[w.portfolio.pk, w.program.pk])
            + "?ar=2027",
            {"amount": "800000"},
            ("put", f"{base}/programs/{w.program.pk}/budgets/2027/", {"amount": 650_000}),
        ),
        (
            reverse("portfolio:settings-meeting", args=[w.portfolio.pk]),
            {"next_board_meeting": "2027-03-04", "sender": "Från sidan"},
            ("patch", f"{base}/settings/", {"sender": "Från API:t"}),
        ),
    ]
    for page, posted, (method, url, meanwhile) in pages:
        assert 'name="version" value="1"' in client.get(page).content.decode(), page
        answer = getattr(api, method)(url, {**meanwhile, "version": 1}, format="json")
        assert answer.status_code == 200
        refused = client.post(page, {**posted, "version": "1"})
        assert refused.status_code == 400, page
        assert "Någon annan har sparat ändringar" in refused.content.decode()
        assert client.post(page, {**posted, "version": "2"}).status_code == 302, page
    assert Program.objects.get(pk=w.program.pk).name == "Från sidan"
    # The year is fixed on the page that changes an existing budget.
    assert ProgramBudget.objects.get(program=w.program, year=2027).amount == 800_000
    portfolio = Portfolio.objects.get(pk=w.portfolio.pk)
    assert (portfolio.sender, portfolio.next_board_meeting) == ("Från sidan", dt.date(2027, 3, 4))


def _patch_urls(w):
    initiative = eb.initiative(w)
    cost = eb.actual(w, initiative, 1000, dt.date(2026, 2, 1))
    hours = eb.hours(w, initiative, "1460", 8, dt.date(2026, 2, 1))
    criterion = GateCriterion.objects.filter(portfolio=w.portfolio).order_by("pk").first()
    base = f"/api/v1/portfolios/{w.portfolio.pk}"
    return [
        f"{base}/gate-criteria/{criterion.pk}/",
        f"{base}/programs/{w.program.pk}/",
        f"{base}/settings/",
        f"/api/v1/cost-entries/{cost.pk}/",
        f"/api/v1/time-entries/{hours.pk}/",
    ]


@pytest.mark.parametrize("body_format", ["json", "multipart"])
def test_a_patch_naming_no_change_or_an_unknown_field_is_refused(state, body_format):
    w, api = state
    for url in _patch_urls(w):
        before = api.get(url).json()
        nothing = api.patch(url, {}, format=body_format)
        assert nothing.status_code == 400, url
        assert nothing.json()["errors"] == {"non_field_errors": ["Ange minst ett fält att ändra."]}
        only_version = api.patch(url, {"version": 1}, format=body_format)
        assert only_version.status_code == 400, url
        unknown = api.patch(url, {"colour": "röd"}, format=body_format)
        assert unknown.status_code == 400, url
        assert unknown.json()["errors"] == {"colour": ["Okänt fält."]}, url
        assert api.get(url).json() == before, url


def test_a_known_change_with_an_unknown_field_beside_it_changes_nothing(state):
    w, api = state
    criterion = GateCriterion.objects.filter(portfolio=w.portfolio).order_by("pk").first()
    url = f"/api/v1/portfolios/{w.portfolio.pk}/gate-criteria/{criterion.pk}/"
    refused = api.patch(url, {"label": "Ny", "is_activ": "false"}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"is_activ": ["Okänt fält."]}
    assert GateCriterion.objects.get(pk=criterion.pk).label == criterion.label
