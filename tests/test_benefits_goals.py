"""Benefits: effect goals, dated measurements and 3N on implemented solutions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from workflow_builders import TODAY, advance_to, fresh, idea, world

from portfolio.choices import Stage
from portfolio.domain.gate_checks import gate_evaluate
from portfolio.models import HistoryEntry, PortfolioGoal
from portfolio.services import benefits
from portfolio.services.errors import DomainError, NotAllowedError, StaleVersionError

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def goal(w, initiative, **fields):
    values = {"name": "Kortare väntetid", "indicator": "Väntetid", "unit": "dagar"}
    values.update(fields)
    return benefits.effect_goal_create(actor=w.manager, initiative=initiative, **values)


def test_g1_needs_goals_with_baseline_and_target(w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    g = goal(w, initiative, baseline=Decimal(30))
    by_check = {r.criterion.system_check: r for r in gate_evaluate(fresh(initiative), "G1")}
    assert not by_check["effect_goals_complete"].met
    assert "Kortare väntetid" in by_check["effect_goals_complete"].reason
    benefits.effect_goal_update(actor=w.manager, effect_goal=g, target=Decimal(10))
    by_check = {r.criterion.system_check: r for r in gate_evaluate(fresh(initiative), "G1")}
    assert by_check["effect_goals_complete"].met


def test_goal_linked_to_another_portfolios_goal_is_refused(w):
    other = PortfolioGoal.objects.create(
        portfolio=advance_to(w, idea(w), Stage.IDEA).portfolio, title="Eget"
    )
    foreign = PortfolioGoal.objects.create(
        portfolio=__import__("factories").portfolio(), title="Främmande"
    )
    initiative = idea(w)
    goal(w, initiative, portfolio_goal=other)
    with pytest.raises(ValidationError):
        goal(w, initiative, portfolio_goal=foreign)


def test_measurements_are_dated_once_per_day_and_kept_in_history(w):
    initiative = idea(w)
    g = goal(w, initiative)
    benefits.measurement_record(actor=w.manager, effect_goal=g, measured_on=TODAY, value=25)
    with pytest.raises(ValidationError) as caught:
        benefits.measurement_record(actor=w.manager, effect_goal=g, measured_on=TODAY, value=24)
    assert "measured_on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        benefits.measurement_record(
            actor=w.manager,
            effect_goal=g,
            measured_on=dt.date.today() + dt.timedelta(days=10),
            value=1,
        )
    assert HistoryEntry.objects.filter(entity="measurement", actor=w.manager).count() == 1


def test_a_reader_cannot_add_goals_or_measurements(w):
    initiative = idea(w)
    with pytest.raises(NotAllowedError):
        benefits.effect_goal_create(
            actor=w.reader, initiative=initiative, name="x", indicator="y", unit="z"
        )
    g = goal(w, initiative)
    with pytest.raises(NotAllowedError):
        benefits.measurement_record(actor=w.reader, effect_goal=g, measured_on=TODAY, value=1)


def test_the_benefit_owner_may_measure(w):
    initiative = idea(w)
    g = goal(w, initiative, owner=w.itchef)
    benefits.measurement_record(actor=w.itchef, effect_goal=g, measured_on=TODAY, value=3)
    assert g.measurements.count() == 1


def test_3n_only_for_implemented_solutions(w):
    initiative = idea(w)
    with pytest.raises(DomainError) as caught:
        benefits.initiative_set_3n(
            actor=w.manager,
            initiative=initiative,
            version=1,
            is_new=True,
            is_useful=True,
            is_used=False,
        )
    assert caught.value.rule == "not_implemented"
    initiative = advance_to(w, initiative, Stage.OPERATION)
    benefits.initiative_set_3n(
        actor=w.director,
        initiative=initiative,
        version=initiative.version,
        is_new=True,
        is_useful=True,
        is_used=False,
    )
    stored = fresh(initiative)
    assert (stored.is_new, stored.is_useful, stored.is_used) == (True, True, False)
    with pytest.raises(StaleVersionError):
        benefits.initiative_set_3n(
            actor=w.director,
            initiative=initiative,
            version=1,
            is_new=False,
            is_useful=False,
            is_used=False,
        )


def test_an_effect_goal_edit_from_an_outdated_read_is_refused(w):
    """Two people editing one goal's target: the second, who read before the first
    saved, is refused (API: 412 with If-Match, 409 with version) and the first kept."""
    from rest_framework.test import APIClient

    initiative = idea(w)
    g = goal(w, initiative, baseline=Decimal(30))
    api = APIClient()
    api.force_authenticate(w.manager)
    url = f"/api/v1/initiatives/{initiative.pk}/effect-goals/{g.pk}/"
    seen = api.get(url)["ETag"]
    assert seen == '"1"'
    first = api.patch(url, {"target": "10.00"}, format="json", HTTP_IF_MATCH=seen)
    assert first.status_code == 200 and first["ETag"] == '"2"'
    assert first.json()["version"] == 2
    stale = api.patch(url, {"target": "99.00"}, format="json", HTTP_IF_MATCH=seen)
    assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    stale_body = api.patch(url, {"target": "99.00", "version": 1}, format="json")
    assert stale_body.status_code == 409 and stale_body.json()["code"] == "stale_version"
    with pytest.raises(StaleVersionError):
        benefits.effect_goal_update(actor=w.manager, effect_goal=g, version=1, target=Decimal(5))
    g.refresh_from_db()
    assert (g.target, g.version) == (Decimal(10), 2)
    updates = HistoryEntry.objects.filter(entity="effect_goal", entity_id=g.pk, action="updated")
    assert [row.changes["target"] for row in updates] == [[None, "10.00"]]


def test_a_stale_goal_page_is_refused_with_a_clear_message(w, client):
    from django.urls import reverse

    initiative = idea(w)
    g = goal(w, initiative, baseline=Decimal(30))
    client.force_login(w.manager)
    url = reverse("portfolio:effect-goal-edit", args=[initiative.pk, g.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    benefits.effect_goal_update(actor=w.manager, effect_goal=g, version=1, target=Decimal(10))
    posted = {"name": "Kortare väntetid", "indicator": "Väntetid", "unit": "dagar"}
    refused = client.post(url, {**posted, "target": "99", "version": 1})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Någon annan har sparat ändringar sedan du öppnade sidan" in page
    assert 'name="version" value="2"' in page  # a second save, after a look, may go on
    g.refresh_from_db()
    assert g.target == Decimal(10)
    assert client.post(url, {**posted, "target": "12", "version": 2}).status_code == 302
    g.refresh_from_db()
    assert (g.target, g.version) == (Decimal(12), 3)
