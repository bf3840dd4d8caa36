"""Prioritisation: scores 1–5 per weighted criterion, weighted mean, ranked lists."""

import datetime as dt
from decimal import Decimal

import factories
import pytest
from django.core.exceptions import ValidationError
from workflow_builders import fresh, idea, world

from portfolio.models import HistoryEntry, PriorityCriterion
from portfolio.selectors.initiatives import ranked_initiatives
from portfolio.services import workflow
from portfolio.services.errors import NotAllowedError
from portfolio.services.priority import priority_scores_set, weighted_mean

pytestmark = pytest.mark.django_db


def test_weighted_mean_is_exact_and_rounded_half_up():
    assert weighted_mean([(3, 5), (1, 1)]) == Decimal("4.00")
    assert weighted_mean([(2, 1), (1, 2)]) == Decimal("1.33")
    assert weighted_mean([(1, 1), (1, 2), (6, 2)]) == Decimal("1.88")  # 1.875 -> 1.88
    assert weighted_mean([]) is None


def test_scores_set_the_weighted_score_and_history():
    w = world()
    initiative = idea(w)
    nytta, risk = w.criteria
    value = priority_scores_set(actor=w.manager, initiative=initiative, scores={nytta: 5, risk: 1})
    assert value == Decimal("4.00") == fresh(initiative).priority_score
    priority_scores_set(actor=w.manager, initiative=initiative, scores={risk.pk: None})
    assert fresh(initiative).priority_score == Decimal("5.00")
    entries = HistoryEntry.objects.filter(initiative=initiative, entity="priority")
    assert entries.count() == 2
    assert entries.order_by("id").last().changes["Risk"] == [1, None]


def test_scores_outside_one_to_five_or_foreign_criteria_are_refused():
    w = world()
    initiative = idea(w)
    with pytest.raises(ValidationError):
        priority_scores_set(actor=w.manager, initiative=initiative, scores={w.criteria[0].pk: 6})
    foreign = PriorityCriterion.objects.create(portfolio=factories.portfolio(), name="Annat")
    with pytest.raises(ValidationError):
        priority_scores_set(actor=w.manager, initiative=initiative, scores={foreign.pk: 3})
    assert fresh(initiative).priority_score is None


def test_readers_and_it_chefs_cannot_score():
    w = world()
    initiative = idea(w)
    for person in (w.reader, w.itchef):
        with pytest.raises(NotAllowedError):
            priority_scores_set(actor=person, initiative=initiative, scores={w.criteria[0]: 3})


def test_ranked_per_portfolio_and_program_without_closed_ones():
    w = world()
    other_program = factories.program(w.portfolio, manager=w.manager)
    a = idea(w, title="A")
    b = idea(w, title="B", program=other_program)
    c = idea(w, title="C")
    unscored = idea(w, title="D")
    for initiative, score in ((a, 2), (b, 5), (c, 4)):
        priority_scores_set(
            actor=w.manager, initiative=initiative, scores={w.criteria[0].pk: score}
        )
    assert [i.title for i in ranked_initiatives(w.portfolio)] == ["B", "C", "A", "D"]
    assert [i.title for i in ranked_initiatives(w.portfolio, w.program)] == ["C", "A", "D"]
    workflow.decision_record(
        actor=w.director,
        initiative=fresh(c),
        kind="avbryt",
        outcome="godkand",
        decided_on=dt.date(2026, 1, 2),
    )
    assert "C" not in [i.title for i in ranked_initiatives(w.portfolio)]
    assert unscored.priority_score is None
