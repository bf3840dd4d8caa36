"""Benefits: effect goals, dated measurements and 3N on implemented solutions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from workflow_builders import TODAY, advance_to, fresh, idea, world

from portfolio.choices import Stage
from portfolio.models import HistoryEntry, PortfolioGoal
from portfolio.services import benefits
from portfolio.services.errors import DomainError, NotAllowedError, StaleVersionError
from portfolio.services.gate_checks import gate_evaluate

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
