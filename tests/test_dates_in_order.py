"""Dates that make sense: a record is never dated before what it follows.

A gate decision not before the submission nor before the decision that preceded it;
leaving not before joining; a measurement not before its baseline. Each refusal is
the service's, shown as a 400 with the field named in the API and on the form.
"""

import datetime as dt
from decimal import Decimal

import factories
import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from workflow_builders import TODAY, advance_to, approve, fresh, idea, meet_g0, world

from portfolio.choices import DecisionKind, DecisionOutcome, Stage
from portfolio.services import benefits, participation, workflow
from portfolio.services.errors import DomainError

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def w():
    return world()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def base(initiative):
    return f"/api/v1/initiatives/{initiative.pk}/"


def g0(w, initiative, decided_on, **kwargs):
    return workflow.decision_record(
        actor=w.manager,
        initiative=fresh(initiative),
        kind=DecisionKind.G0,
        outcome=kwargs.pop("outcome", DecisionOutcome.APPROVED),
        decided_on=decided_on,
        **kwargs,
    )


# Gate decisions


def test_a_decision_dated_before_the_submission_is_refused(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    with pytest.raises(DomainError) as caught:
        g0(w, initiative, factories.SUBMITTED_ON - DAY)
    assert caught.value.rule == "date_before_submission"
    assert set(caught.value.fields) == {"decided_on"}
    assert factories.SUBMITTED_ON.isoformat() in caught.value.message
    assert fresh(initiative).stage == Stage.IDEA
    assert g0(w, initiative, factories.SUBMITTED_ON).stage_after == Stage.PRESTUDY


def test_a_g1_dated_before_the_g0_it_follows_is_refused(w):
    initiative = advance_to(w, idea(w), Stage.IDEA, meet_next=True)
    g0(w, initiative, dt.date(2026, 1, 5))
    initiative = advance_to(w, fresh(initiative), Stage.PRESTUDY, meet_next=True)
    with pytest.raises(DomainError) as caught:
        approve(
            w,
            initiative,
            DecisionKind.G1,
            decided_on=dt.date(2026, 1, 4),
            target_stage=Stage.PROJECT,
        )
    assert caught.value.rule == "date_before_previous_decision"
    assert set(caught.value.fields) == {"decided_on"}
    assert "2026-01-05" in caught.value.message
    assert fresh(initiative).stage == Stage.PRESTUDY
    approve(
        w, initiative, DecisionKind.G1, decided_on=dt.date(2026, 1, 5), target_stage=Stage.PROJECT
    )
    assert fresh(initiative).stage == Stage.PROJECT


def test_a_returned_decision_also_counts_as_the_preceding_one(w):
    initiative = idea(w)
    g0(w, initiative, dt.date(2026, 1, 10), outcome=DecisionOutcome.RETURNED)
    meet_g0(w, initiative)
    with pytest.raises(DomainError) as caught:
        g0(w, initiative, dt.date(2026, 1, 9))
    assert caught.value.rule == "date_before_previous_decision"


def test_a_correction_may_move_the_date_of_the_decision_it_corrects(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    wrong = g0(w, initiative, dt.date(2026, 1, 10))
    corrected = g0(w, initiative, dt.date(2026, 1, 8), corrects=wrong)
    assert corrected.decided_on == dt.date(2026, 1, 8)
    with pytest.raises(DomainError) as caught:
        g0(w, initiative, factories.SUBMITTED_ON - DAY, corrects=corrected)
    assert caught.value.rule == "date_before_submission"


def test_the_api_refuses_an_early_decision_with_400_on_decided_on(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    early = (factories.SUBMITTED_ON - DAY).isoformat()
    response = api(w.manager).post(
        base(initiative) + "decisions/",
        {"kind": "G0", "outcome": "godkand", "decided_on": early},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "date_before_submission"
    assert list(body["errors"]) == ["decided_on"]


def test_the_decision_page_shows_the_refusal_on_the_date_field(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    response = browser(w.manager).post(
        reverse("portfolio:decision-create", args=[initiative.pk]),
        {
            "kind": "G0",
            "outcome": "godkand",
            "decided_on": (factories.SUBMITTED_ON - DAY).isoformat(),
            "version": fresh(initiative).version,
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "Beslutsdatumet ligger före inlämningsdatumet." in form.errors["decided_on"]
    assert fresh(initiative).decisions.count() == 0


# Participation


def _participant(w):
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    return initiative.participations.select_related("municipality", "initiative").get(
        municipality__code="1460"
    )


def test_leaving_before_joining_is_refused_and_leaving_on_the_day_of_joining_is_not(w):
    p = _participant(w)
    with pytest.raises(DomainError) as caught:
        participation.participation_leave(
            actor=w.director,
            participation=p,
            version=p.version,
            left_on=p.joined_on - DAY,
            reason="Budget",
        )
    assert caught.value.rule == "left_before_joined"
    assert set(caught.value.fields) == {"left_on"}
    left = participation.participation_leave(
        actor=w.director, participation=p, version=p.version, left_on=p.joined_on, reason="Budget"
    )
    assert left.status == "lamnat"


def test_the_api_refuses_leaving_before_joining_with_400_on_left_on(w):
    p = _participant(w)
    response = api(w.director).post(
        base(p.initiative) + f"participations/{p.pk}/leave/",
        {"left_on": (p.joined_on - DAY).isoformat(), "reason": "Budget", "version": p.version},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "left_before_joined"
    assert list(response.json()["errors"]) == ["left_on"]


def test_the_leave_page_shows_the_refusal_on_the_date_field(w):
    p = _participant(w)
    response = browser(w.director).post(
        reverse("portfolio:participation-leave", args=[p.initiative.pk, p.pk]),
        {"left_on": (p.joined_on - DAY).isoformat(), "reason": "Budget", "version": p.version},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["left_on"]
    assert errors == [
        f"Datumet ligger före dagen kommunen började delta ({p.joined_on.isoformat()})."
    ]
    p.refresh_from_db()
    assert p.status == "deltar"


# Measurements


def _goal(w, baseline_on=dt.date(2026, 1, 10)):
    return benefits.effect_goal_create(
        actor=w.manager,
        initiative=idea(w),
        name="Kortare handläggning",
        indicator="Handläggningstid",
        unit="dagar",
        baseline=Decimal(20),
        baseline_on=baseline_on,
        target=Decimal(10),
    )


def test_a_measurement_before_the_baseline_is_refused(w):
    goal = _goal(w)
    with pytest.raises(DomainError) as caught:
        benefits.measurement_record(
            actor=w.manager, effect_goal=goal, measured_on=dt.date(2026, 1, 9), value=Decimal(19)
        )
    assert caught.value.rule == "measurement_before_baseline"
    assert set(caught.value.fields) == {"measured_on"}
    benefits.measurement_record(
        actor=w.manager, effect_goal=goal, measured_on=dt.date(2026, 1, 10), value=Decimal(19)
    )
    assert goal.measurements.count() == 1


def test_the_baseline_cannot_be_moved_after_a_measurement(w):
    goal = _goal(w)
    benefits.measurement_record(
        actor=w.manager, effect_goal=goal, measured_on=TODAY, value=Decimal(18)
    )
    with pytest.raises(DomainError) as caught:
        benefits.effect_goal_update(
            actor=w.manager, effect_goal=goal, version=goal.version, baseline_on=TODAY + DAY
        )
    assert caught.value.rule == "baseline_after_measurement"
    assert set(caught.value.fields) == {"baseline_on"}
    goal.refresh_from_db()
    assert goal.baseline_on == dt.date(2026, 1, 10)


def test_the_api_refuses_a_measurement_before_the_baseline_with_400_on_measured_on(w):
    goal = _goal(w)
    response = api(w.manager).post(
        base(goal.initiative) + f"effect-goals/{goal.pk}/measurements/",
        {"measured_on": "2026-01-09", "value": "19"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "measurement_before_baseline"
    assert list(response.json()["errors"]) == ["measured_on"]
    shown = api(w.manager).get(base(goal.initiative) + f"effect-goals/{goal.pk}/").json()
    assert shown["baseline_on"] == "2026-01-10"


def test_the_measurement_page_shows_the_refusal_on_the_date_field(w):
    goal = _goal(w)
    response = browser(w.manager).post(
        reverse("portfolio:measurement-create", args=[goal.initiative.pk, goal.pk]),
        {"measured_on": "2026-01-09", "value": "19"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["measured_on"] == [
        "Mätdatumet ligger före nollvärdets datum (2026-01-10)."
    ]
    assert goal.measurements.count() == 0


def test_the_goal_page_takes_the_baseline_date(w):
    initiative = idea(w)
    response = browser(w.manager).post(
        reverse("portfolio:effect-goal-create", args=[initiative.pk]),
        {
            "name": "Nöjdare invånare",
            "indicator": "NKI",
            "unit": "index",
            "baseline": "55",
            "baseline_on": "2026-01-10",
            "target": "70",
        },
    )
    assert response.status_code == 302
    assert initiative.effect_goals.get().baseline_on == dt.date(2026, 1, 10)
