"""An initiative's estimates are shared by all its participants: only the program's
programledare and the samordnare create, change or remove them, never a participating
municipality's IT-chef or kommundirektör (who still enter their own actual costs)."""

import datetime as dt

import economy_builders as eb
import factories
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from portfolio import policies
from portfolio.choices import CostKind, CostNature
from portfolio.models import CostEntry
from portfolio.services import costs
from portfolio.services.errors import NotAllowedError

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 1)
ESTIMATE = {"kind": "utveckling", "nature": "estimat", "period": "2026-02-01", "amount": 1}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def state():
    w = eb.money_world()
    manager = factories.user("1461", Role.PROGRAM_MANAGER)
    w.program.manager = manager
    w.program.save()
    initiative = eb.initiative(w)
    estimate = eb.estimate(w, initiative, 1_450_000, DAY)
    dals_ed = factories.user("1438", Role.IT_MANAGER)
    return w, manager, initiative, estimate, dals_ed


def test_the_policy_names_the_program_and_the_portfolio_office(state):
    w, manager, initiative, _estimate, dals_ed = state
    other_manager = factories.user("1460", Role.PROGRAM_MANAGER)
    assert policies.can_change_shared_figures(manager, initiative)
    assert policies.can_change_shared_figures(w.coordinator, initiative)
    for person in (dals_ed, w.itchef, w.director, w.reader, w.outsider, other_manager):
        assert not policies.can_change_shared_figures(person, initiative), person
        assert not policies.can_write_cost(person, initiative, CostNature.ESTIMATE)
    # Their own actual costs stay theirs to enter.
    assert policies.can_write_cost(dals_ed, initiative, CostNature.ACTUAL, dals_ed.municipality_id)


def test_a_participants_it_chef_or_director_cannot_touch_an_estimate(state):
    w, _manager, initiative, estimate, dals_ed = state
    for person in (dals_ed, w.director):
        with pytest.raises(NotAllowedError):
            costs.cost_entry_correct(actor=person, entry=estimate, amount=1)
        with pytest.raises(NotAllowedError):
            costs.cost_entry_delete(actor=person, entry=estimate)
        with pytest.raises(NotAllowedError):
            costs.cost_entry_create(
                actor=person,
                initiative=initiative,
                kind=CostKind.DEVELOPMENT,
                nature=CostNature.ESTIMATE,
                period=DAY,
                amount=1,
            )
        # Nor turn their own actual cost into an estimate.
        own = costs.cost_entry_create(
            actor=person,
            initiative=initiative,
            kind=CostKind.DEVELOPMENT,
            nature=CostNature.ACTUAL,
            period=DAY,
            amount=10,
            paid_by=person.municipality,
        )
        with pytest.raises(NotAllowedError):
            costs.cost_entry_correct(
                actor=person, entry=own, nature=CostNature.ESTIMATE, paid_by=None
            )
    estimate.refresh_from_db()
    assert (estimate.amount, estimate.version) == (1_450_000, 1)
    assert CostEntry.objects.filter(nature=CostNature.ESTIMATE).count() == 1


def test_the_api_answers_403_in_swedish_whatever_the_body(state):
    w, _manager, initiative, estimate, dals_ed = state
    api = client_for(dals_ed)
    url = f"/api/v1/cost-entries/{estimate.pk}/"
    changed = api.patch(url, {"amount": 1, "version": 1}, format="json")
    assert changed.status_code == 403
    assert "estimat" in changed.json()["detail"] and "programledaren" in changed.json()["detail"]
    assert api.patch(url, {"nonsense": True}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    created = api.post(f"/api/v1/initiatives/{initiative.pk}/costs/", ESTIMATE, format="json")
    assert created.status_code == 403
    assert "programledaren" in created.json()["detail"]
    estimate.refresh_from_db()
    assert estimate.amount == 1_450_000


def test_the_programledare_and_samordnare_change_estimates_through_the_api(state):
    w, manager, initiative, estimate, _dals_ed = state
    url = f"/api/v1/cost-entries/{estimate.pk}/"
    assert (
        client_for(manager).patch(url, {"amount": 1_500_000, "version": 1}, format="json")
    ).status_code == 200
    assert (
        client_for(w.coordinator).patch(url, {"amount": 1_600_000, "version": 2}, format="json")
    ).status_code == 200
    created = client_for(manager).post(
        f"/api/v1/initiatives/{initiative.pk}/costs/", ESTIMATE, format="json"
    )
    assert created.status_code == 201


def test_pages_offer_estimates_only_to_those_who_may_change_them(state, client):
    w, manager, initiative, estimate, dals_ed = state
    detail = reverse("portfolio:initiative-detail", args=[initiative.pk])
    remove = reverse("portfolio:entry-delete", args=["kostnad", estimate.pk])
    create = reverse("portfolio:cost-entry-create", args=[initiative.pk])

    client.force_login(dals_ed)
    html = client.get(detail).content.decode()
    assert "Spara kostnad" in html  # their own actual costs
    assert remove not in html
    assert 'value="estimat"' not in html
    assert 'value="estimat"' not in client.get(create).content.decode()
    refused = client.post(create, {**ESTIMATE, "amount": "1"})
    assert refused.status_code == 400
    assert client.post(remove, {"version": 1}).status_code == 403
    assert CostEntry.objects.filter(pk=estimate.pk).exists()

    client.force_login(manager)
    html = client.get(detail).content.decode()
    assert remove in html and 'value="estimat"' in html
    assert client.post(remove, {"version": 1}).status_code == 302
    assert not CostEntry.objects.filter(pk=estimate.pk).exists()


def test_the_remove_buttons_cost_no_query_per_entry(state, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w, manager, initiative, _estimate, _dals_ed = state
    client.force_login(manager)
    detail = reverse("portfolio:initiative-detail", args=[initiative.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(detail).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for code in eb.DALSLAND:
        eb.actual(w, initiative, 100, DAY, paid_by=code)
        eb.hours(w, initiative, code, 1, DAY)
    assert count() == before
